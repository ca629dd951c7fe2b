package modprep;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Packages by capability (DESIGN §6), with dependencies that point one way: db at the bottom, then
 * platform, environment, preparation, and web and cli on top; tools (demo generation, the Maven
 * export) beside them, for cli only. ModprepException, the refusal every package may throw, is the
 * one class of the root package they all share.
 */
@AnalyzeClasses(packages = "modprep", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

    @ArchTest
    static final ArchRule db_depends_on_nothing_of_ours_but_itself = classes()
            .that().resideInAPackage("modprep.db..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..").or(resideInAnyPackage("modprep.db..")));

    @ArchTest
    static final ArchRule platform_depends_only_on_db = classes()
            .that().resideInAPackage("modprep.platform..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("modprep..")
                    .or(resideInAnyPackage("modprep.platform..", "modprep.db.."))
                    .or(equivalentTo(ModprepException.class)));

    @ArchTest
    static final ArchRule environment_does_not_depend_on_preparation_web_or_cli = noClasses()
            .that().resideInAPackage("modprep.environment..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.preparation..", "modprep.web..", "modprep.cli..")
                    .or(equivalentTo(Modprep.class)));

    @ArchTest
    static final ArchRule preparation_does_not_depend_on_web_or_cli = noClasses()
            .that().resideInAPackage("modprep.preparation..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.web..", "modprep.cli..").or(equivalentTo(Modprep.class)));

    @ArchTest
    static final ArchRule the_engine_does_not_depend_on_the_console_or_the_command_line = noClasses()
            .that().resideInAnyPackage("modprep.db..", "modprep.platform..", "modprep.environment..", "modprep.preparation..")
            .should().dependOnClassesThat(resideInAnyPackage("modprep.web..", "modprep.cli..").and(not(resideOutsideOfPackage("modprep.."))));

    @ArchTest
    static final ArchRule only_the_command_line_uses_the_tools_the_domain_does_not = classes()
            .that().resideInAPackage("modprep.tools..")
            .should().onlyHaveDependentClassesThat().resideInAnyPackage("modprep.tools..", "modprep.cli..");

    @ArchTest
    static final ArchRule packages_are_free_of_cycles = slices().matching("modprep.(*)..").should().beFreeOfCycles();
}
