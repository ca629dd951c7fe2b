package modprep;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Packages by capability (docs/ARCHITECTURE.md), with dependencies that point one way: the status
 * vocabulary and db at the bottom, then settings and platform, environment, preparation, the read model, and web and
 * cli on top, with insight (estimates, what to fix first) just under them; tools (demo generation, the Maven export) beside them, for cli only; housekeeping (backup,
 * restore, retention) on the database alone, and logging under everything. ModprepException, the
 * refusal every package may throw, is the one class of the root package they all share. The deployment
 * step sits beside the read model, on the engine.
 */
@AnalyzeClasses(packages = "modprep", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

    @ArchTest
    static final ArchRule the_status_vocabulary_depends_on_nothing_of_ours = classes()
            .that().resideInAPackage("modprep.status..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..").or(resideInAnyPackage("modprep.status..")));

    @ArchTest
    static final ArchRule db_depends_on_nothing_of_ours_but_itself = classes()
            .that().resideInAPackage("modprep.db..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..").or(resideInAnyPackage("modprep.db..", "modprep.status.."))
                    .or(equivalentTo(ModprepException.class)));

    @ArchTest
    static final ArchRule platform_depends_only_on_db = classes()
            .that().resideInAPackage("modprep.platform..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..")
                    .or(resideInAnyPackage("modprep.platform..", "modprep.db..", "modprep.status.."))
                    .or(equivalentTo(ModprepException.class)));

    @ArchTest
    static final ArchRule environment_does_not_depend_on_preparation_web_or_cli = noClasses()
            .that().resideInAPackage("modprep.environment..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.preparation..", "modprep.readmodel..", "modprep.web..",
                    "modprep.cli..").or(equivalentTo(Modprep.class)));

    /** The environment learns of locks and runs through PreparationView, which the engine implements. */
    @ArchTest
    static final ArchRule environment_does_not_read_the_preparation_tables = noClasses()
            .that().resideInAPackage("modprep.environment..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.db.schema..").and(simpleNameStartingWith("PreparationRun")
                    .or(simpleNameStartingWith("RunGroup")).or(simpleNameStartingWith("GroupStep"))
                    .or(simpleNameStartingWith("RunModule")).or(simpleNameStartingWith("RunExclusion"))
                    .or(simpleNameStartingWith("ModuleLock")).or(simpleNameStartingWith("WorkerProcess"))
                    .or(simpleNameStartingWith("PlatformUpgrade"))));

    @ArchTest
    static final ArchRule preparation_does_not_depend_on_the_read_model_web_or_cli = noClasses()
            .that().resideInAPackage("modprep.preparation..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.readmodel..", "modprep.web..", "modprep.cli..")
                    .or(equivalentTo(Modprep.class)));

    /** The deployment step stands on the engine; the engine, the environment and the read model do not know it. */
    @ArchTest
    static final ArchRule deployment_does_not_depend_on_the_read_model_web_cli_or_access = noClasses()
            .that().resideInAPackage("modprep.deployment..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.readmodel..", "modprep.web..", "modprep.cli..", "modprep.access..")
                    .or(equivalentTo(Modprep.class)));

    @ArchTest
    static final ArchRule the_engine_and_the_read_model_do_not_depend_on_deployment = noClasses()
            .that().resideInAnyPackage("modprep.environment..", "modprep.preparation..", "modprep.readmodel..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.deployment.."));

    /** The console starts deployments through Deployments and Rollbacks, never the worker's parts. */
    @ArchTest
    static final ArchRule web_does_not_use_the_deployment_workers_internals = noClasses()
            .that().resideInAPackage("modprep.web..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.deployment..").and(simpleName("DeploymentWorker")
                    .or(simpleName("DeploymentRepository")).or(simpleName("DeployChecks")).or(simpleName("BytecodeCheck"))));

    /** The console reads state through the read model and starts work through Preparations, never the worker's parts. */
    @ArchTest
    static final ArchRule web_does_not_use_the_workers_internals = noClasses()
            .that().resideInAPackage("modprep.web..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.preparation..").and(simpleName("Worker")
                    .or(simpleName("Leases")).or(simpleName("GroupPreparer")).or(simpleName("CompileAhead"))
                    .or(simpleName("RunRepository"))));

    /** Controllers receive the read model's queries through their constructors: the console's wiring alone makes them. */
    @ArchTest
    static final ArchRule only_the_consoles_wiring_makes_the_read_models_queries = noClasses()
            .that().resideInAPackage("modprep.web..").and(not(simpleName("WebApp")))
            .should().callConstructorWhere(target(owner(resideInAnyPackage("modprep.readmodel..")
                    .and(simpleNameEndingWith("Queries").or(simpleNameEndingWith("Reports"))))));

    /** Settings stand on the database and the vocabulary: the engine, the console and the command line read them. */
    @ArchTest
    static final ArchRule settings_depend_only_on_db_and_the_vocabulary = classes()
            .that().resideInAPackage("modprep.settings..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..")
                    .or(resideInAnyPackage("modprep.settings..", "modprep.db..", "modprep.status.."))
                    .or(equivalentTo(ModprepException.class)).or(equivalentTo(ModprepException.Kind.class)));

    /** Users, passwords, tokens and the audit stand on the database alone. */
    @ArchTest
    static final ArchRule access_depends_only_on_db_and_the_vocabulary = classes()
            .that().resideInAPackage("modprep.access..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..")
                    .or(resideInAnyPackage("modprep.access..", "modprep.db..", "modprep.status.."))
                    .or(equivalentTo(ModprepException.class)));

    /** Webhooks stand on the database and the vocabulary; the engine publishes to their outbox, the console configures them. */
    @ArchTest
    static final ArchRule notification_depends_only_on_db_and_the_vocabulary = classes()
            .that().resideInAPackage("modprep.notification..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..")
                    .or(resideInAnyPackage("modprep.notification..", "modprep.db..", "modprep.status.."))
                    .or(equivalentTo(ModprepException.class)).or(equivalentTo(Json.class)));

    /** Pictures draw what the read model read, in the vocabulary's words: no database, no engine, no console. */
    @ArchTest
    static final ArchRule pictures_depend_only_on_the_read_model_and_the_vocabulary = classes()
            .that().resideInAPackage("modprep.picture..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..")
                    .or(resideInAnyPackage("modprep.picture..", "modprep.readmodel..", "modprep.status..")));

    @ArchTest
    static final ArchRule the_engine_does_not_depend_on_access = noClasses()
            .that().resideInAnyPackage("modprep.platform..", "modprep.environment..", "modprep.preparation..", "modprep.readmodel..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.access.."));

    @ArchTest
    static final ArchRule the_engine_does_not_depend_on_the_console_or_the_command_line = noClasses()
            .that().resideInAnyPackage("modprep.db..", "modprep.platform..", "modprep.environment..", "modprep.preparation..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.web..", "modprep.cli..").and(not(resideOutsideOfPackage("modprep.."))));

    @ArchTest
    static final ArchRule only_the_command_line_uses_the_tools_the_domain_does_not = classes()
            .that().resideInAPackage("modprep.tools..")
            .should().onlyHaveDependentClassesThat().resideInAnyPackage("modprep.tools..", "modprep.cli..");

    /** Log set-up and log fields: any package may log with them, they know nothing of the rest. */
    @ArchTest
    static final ArchRule logging_depends_on_nothing_of_ours = classes()
            .that().resideInAPackage("modprep.logging..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..").or(resideInAnyPackage("modprep.logging..")));

    /** Backup, restore and retention work on the database's rows and files, not through the engine's parts. */
    @ArchTest
    static final ArchRule housekeeping_stands_on_the_database_and_the_vocabulary = classes()
            .that().resideInAPackage("modprep.housekeeping..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..")
                    .or(resideInAnyPackage("modprep.housekeeping..", "modprep.db..", "modprep.status..", "modprep.platform..",
                            "modprep.logging.."))
                    .or(equivalentTo(ModprepException.class)));

    @ArchTest
    static final ArchRule the_engine_does_not_depend_on_housekeeping = noClasses()
            .that().resideInAnyPackage("modprep.db..", "modprep.platform..", "modprep.environment..", "modprep.preparation..",
                    "modprep.readmodel..", "modprep.access..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.housekeeping.."));

    /**
     * Insight (I1-I3) stands on the read model: it reads boards and run rows, never drives the engine (of
     * which it knows only the names of a group's steps, to read their timings).
     */
    @ArchTest
    static final ArchRule insight_reads_through_the_read_model_and_the_environment = classes()
            .that().resideInAPackage("modprep.insight..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..")
                    .or(resideInAnyPackage("modprep.insight..", "modprep.readmodel..", "modprep.environment..", "modprep.status..",
                            "modprep.db..", "modprep.platform.."))
                    .or(equivalentTo(ModprepException.class)).or(equivalentTo(modprep.preparation.GroupStep.class)));

    @ArchTest
    static final ArchRule only_the_console_and_the_command_line_use_insight = classes()
            .that().resideInAPackage("modprep.insight..")
            .should().onlyHaveDependentClassesThat().resideInAnyPackage("modprep.insight..", "modprep.web..", "modprep.cli..");

    @ArchTest
    static final ArchRule packages_are_free_of_cycles = slices().matching("modprep.(*)..").should().beFreeOfCycles();
}
