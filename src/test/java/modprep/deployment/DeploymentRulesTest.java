package modprep.deployment;

import static modprep.db.schema.Tables.DEPLOYMENT_STEP;
import static modprep.db.schema.Tables.MODULE_DEPLOYMENT;
import static modprep.db.schema.Tables.RUN_IN_PROGRESS;
import static modprep.deployment.Deploying.deployToEnd;
import static modprep.deployment.Deploying.imported;
import static modprep.deployment.Deploying.upgradeAndPrepare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import modprep.ModprepException;
import modprep.preparation.RunSlot;
import modprep.readmodel.DeploymentView;
import modprep.readmodel.ModuleReports;
import modprep.status.DeployStatus;
import modprep.status.RunKind;
import modprep.status.RunStatus;
import modprep.testing.Builds;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** D1-D7 on real deployments: real preparation runs, a real worker, the database as the witness. */
class DeploymentRulesTest {
    @TempDir
    Path dir;

    private static Map<String, List<String>> byStatus(DeploymentView d) {
        var result = new TreeMap<String, List<String>>();
        d.groups().forEach(g -> g.modules().forEach(m -> result.computeIfAbsent(m.status().code(), k -> new ArrayList<>()).add(m.name())));
        d.skipped().forEach(m -> result.computeIfAbsent("skipped-when-planned", k -> new ArrayList<>()).add(m.name()));
        result.values().forEach(l -> l.sort(null));
        return result;
    }

    private static Map<String, Integer> groupOf(DeploymentView d) {
        var groups = new HashMap<String, Integer>();
        d.groups().forEach(g -> g.modules().forEach(m -> groups.put(m.name(), g.seq())));
        return groups;
    }

    @Test
    void deploy_runs_each_prepared_compilation_in_groups_producers_first_and_remembers_what_ran_before_D1_D3_D8() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Lib", "Core").module("App", "Lib").module("Other", "Core");
        try (var app = imported(env, dir.resolve("env"))) {
            TestEnvironment.setGroupSize(app, 2);
            var before = new HashMap<String, String>();
            for (String m : List.of("Core", "Lib", "App", "Other")) {
                before.put(m, Builds.module(app, m).getRunningJar());
            }
            assertEquals(RunStatus.SUCCEEDED, upgradeAndPrepare(app, "11.17.0").status());
            var preview = app.deployments().preview();
            assertEquals(4, preview.modules());
            assertEquals(Map.of(), preview.skipped());

            var deployment = deployToEnd(app);
            assertEquals(RunStatus.SUCCEEDED, deployment.status());
            assertEquals(Map.of("deployed", List.of("App", "Core", "Lib", "Other")), byStatus(deployment));
            var group = groupOf(deployment);
            assertTrue(group.get("Core") < group.get("Lib") && group.get("Lib") < group.get("App"), group.toString());
            assertTrue(group.get("Core") < group.get("Other"));
            deployment.groups().forEach(g -> assertTrue(g.modules().size() <= 2, "groups of the group size"));
            deployment.groups().forEach(g -> g.steps().forEach(s -> assertTrue(s.startedAt() != null && s.finishedAt() != null,
                    "every step of group " + g.seq() + " timed: " + s)));
            assertEquals(List.of("lock modules", "check", "deploy", "unlock"), deployment.groups().get(0).steps().stream()
                    .map(modprep.readmodel.RunView.StepView::name).toList());

            for (String m : List.of("Core", "Lib", "App", "Other")) {
                var module = Builds.module(app, m);
                assertEquals("11.17.0", module.getRunningVersion(), m + " runs its compilation for 11.17.0");
                assertEquals(Builds.build(app, m, "11.17.0").getJarSha256(), module.getRunningJar(), m + " runs its prepared jar");
                var row = app.database().dsl().selectFrom(MODULE_DEPLOYMENT).where(MODULE_DEPLOYMENT.MODULE_ID.eq(module.getId())).fetchOne();
                assertEquals("11.16.1", row.getPreviousVersion());
                assertEquals(before.get(m), row.getPreviousJar(), "what " + m + " ran before is kept for a rollback");
                assertEquals("running", new ModuleReports(app.database().dsl()).report(m).statusForCurrentVersion().code());
            }
            assertEquals(0, app.database().dsl().fetchCount(RUN_IN_PROGRESS), "the slot is free once it ends");
            var ended = app.database().dsl().selectFrom(modprep.db.schema.Tables.NOTIFICATION_EVENT)
                    .where(modprep.db.schema.Tables.NOTIFICATION_EVENT.EVENT_TYPE.eq(modprep.status.EventType.DEPLOYMENT_ENDED)).fetch();
            assertEquals(1, ended.size(), "webhooks are told the deployment ended (I6)");
            assertTrue(ended.get(0).getPayload().contains("\"deployed\":4"), ended.get(0).getPayload());
            assertNull(deployToEnd(app), "deploying again deploys nothing: every module runs its compilation");
        }
    }

    @Test
    void failed_blocked_and_uploaded_modules_are_skipped_and_each_is_listed_with_why_none_silently_D3() {
        var env = new TestEnvironment("11.16.1").module("Core").failing("Auth", "Core").module("Web", "Auth")
                .module("Lib", "Core").uploaded("Draft");
        try (var app = imported(env, dir.resolve("env"))) {
            assertEquals(RunStatus.FAILED, upgradeAndPrepare(app, "11.17.0").status());
            var preview = app.deployments().preview();
            assertEquals(new TreeSet<>(List.of("Auth", "Web", "Draft")), new TreeSet<>(preview.skipped().keySet()));
            assertTrue(preview.skipped().get("Auth").startsWith("Failed to prepare for 11.17.0"), preview.skipped().get("Auth"));
            assertTrue(preview.skipped().get("Web").contains("Blocked by Auth"), preview.skipped().get("Web"));
            assertTrue(preview.skipped().get("Draft").contains("Only uploaded"), preview.skipped().get("Draft"));

            var deployment = deployToEnd(app);
            assertEquals(RunStatus.SUCCEEDED, deployment.status(), "skipping what is not deployable is not an error");
            assertEquals(Map.of("deployed", List.of("Core", "Lib"), "skipped-when-planned", List.of("Auth", "Draft", "Web")),
                    byStatus(deployment));
            deployment.skipped().forEach(m -> assertTrue(m.reason() != null && !m.reason().isBlank(), m.name() + " says why"));
            assertEquals(3, deployment.counts().skipped());
            // Every module is accounted for: deployed, or skipped with why.
            var all = new TreeSet<String>();
            deployment.groups().forEach(g -> g.modules().forEach(m -> all.add(m.name())));
            deployment.skipped().forEach(m -> all.add(m.name()));
            assertEquals(new TreeSet<>(List.of("Auth", "Core", "Draft", "Lib", "Web")), all);
        }
    }

    @Test
    void a_compilation_no_longer_current_fails_with_its_cause_and_its_consumers_are_blocked_D5() throws Exception {
        var env = new TestEnvironment("11.16.1").module("Core").module("Lib", "Core").module("App", "Lib");
        try (var app = imported(env, dir.resolve("env"))) {
            TestEnvironment.setGroupSize(app, 1);
            assertEquals(RunStatus.SUCCEEDED, upgradeAndPrepare(app, "11.17.0").status());
            var started = app.deployments().deploy("alice");
            // Before the worker reaches them, Core gets new code, published (it runs it on 11.17.0 at once).
            app.uploader().upload(env.writeChanged(dir.resolve("changes"), "Core", 2), "bob");
            assertTrue(app.publisher().publish(List.of("Core"), "bob").allPublished());

            var deployment = Deploying.awaitDeployment(app, started.deploymentId());
            assertEquals(RunStatus.FAILED, deployment.status());
            var modules = new HashMap<String, DeploymentView.ModuleView>();
            deployment.groups().forEach(g -> g.modules().forEach(m -> modules.put(m.name(), m)));
            assertEquals(DeployStatus.SKIPPED, modules.get("Core").status());
            assertTrue(modules.get("Core").reason().startsWith("Published since the deployment was planned"), modules.get("Core").reason());
            assertEquals(DeployStatus.FAILED, modules.get("Lib").status());
            assertEquals("prepared against Core's code version 1; Core now runs version 2: run Prepare", modules.get("Lib").reason());
            assertEquals(DeployStatus.BLOCKED, modules.get("App").status());
            assertTrue(modules.get("App").reason().contains("it uses Lib, whose deployment failed"), modules.get("App").reason());
            assertEquals("11.16.1", Builds.module(app, "Lib").getRunningVersion(), "a failed module keeps running what it ran");
            assertEquals("11.16.1", Builds.module(app, "App").getRunningVersion());
        }
    }

    @Test
    void deploy_again_deploys_only_what_was_not_deployed_and_is_now_prepared_D6() throws Exception {
        var env = new TestEnvironment("11.16.1").module("Core").failing("Auth", "Core").module("Web", "Auth").module("Lib", "Core");
        try (var app = imported(env, dir.resolve("env"))) {
            upgradeAndPrepare(app, "11.17.0");
            var first = deployToEnd(app);
            assertEquals(List.of("Core", "Lib"), byStatus(first).get("deployed"));
            int deployedRows = app.database().dsl().fetchCount(MODULE_DEPLOYMENT);

            // Fix Auth: upload and publish the fix (it runs on 11.17.0 then), and Prepare prepares Web.
            app.uploader().upload(env.writeFix(dir.resolve("fix"), "Auth"), "bob");
            assertTrue(app.publisher().publish(List.of("Auth"), "bob").allPublished());
            Deploying.prepareToEnd(app, app.preparations().prepare("alice").runId());

            var second = deployToEnd(app);
            assertEquals(Map.of("deployed", List.of("Web")), byStatus(second), "only what was skipped and is now prepared");
            assertEquals(deployedRows + 1, app.database().dsl().fetchCount(MODULE_DEPLOYMENT));
            assertNull(deployToEnd(app), "nothing is left to deploy");
        }
    }

    @Test
    void the_same_compilation_is_never_deployed_twice_even_after_a_rollback_D6() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Lib", "Core");
        try (var app = imported(env, dir.resolve("env"))) {
            upgradeAndPrepare(app, "11.17.0");
            var first = deployToEnd(app);
            app.rollbacks().rollback(first.id(), null, "alice");
            var preview = app.deployments().preview();
            assertEquals(0, preview.modules());
            assertTrue(preview.skipped().get("Core").contains("deployed by deployment #" + first.id() + " and rolled back"),
                    preview.skipped().get("Core"));
            var copy = app.database().dsl().selectFrom(MODULE_DEPLOYMENT).limit(1).fetchOne().copy();
            assertThrows(org.jooq.exception.DataAccessException.class, () -> app.database().dsl().insertInto(MODULE_DEPLOYMENT).set(copy).execute(),
                    "the database itself refuses a second deployment of one compilation to a module");
        }
    }

    @Test
    void a_rollback_puts_back_what_each_module_ran_consumers_before_producers_D7() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Lib", "Core").module("App", "Lib").module("Solo");
        try (var app = imported(env, dir.resolve("env"))) {
            var before = new HashMap<String, String>();
            for (String m : List.of("Core", "Lib", "App", "Solo")) {
                before.put(m, Builds.module(app, m).getRunningJar());
            }
            upgradeAndPrepare(app, "11.17.0");
            var deployment = deployToEnd(app);

            // One module and its consumers: Lib and App go back, consumers first; Core and Solo stay.
            var one = app.rollbacks().rollback(deployment.id(), "Lib", "alice");
            assertEquals(List.of("App", "Lib"), one.rolledBack().stream().map(Rollbacks.RolledBack::module).toList());
            assertEquals("11.16.1", Builds.module(app, "Lib").getRunningVersion());
            assertEquals(before.get("App"), Builds.module(app, "App").getRunningJar());
            assertEquals("11.17.0", Builds.module(app, "Core").getRunningVersion());

            // The rest of the deployment.
            var rest = app.rollbacks().rollback(deployment.id(), null, "alice");
            var order = rest.rolledBack().stream().map(Rollbacks.RolledBack::module).toList();
            assertEquals(new TreeSet<>(List.of("Core", "Solo")), new TreeSet<>(order));
            for (String m : List.of("Core", "Lib", "App", "Solo")) {
                assertEquals(before.get(m), Builds.module(app, m).getRunningJar(), m + " runs what it ran before the deployment");
                assertEquals("prepared", new ModuleReports(app.database().dsl()).report(m).statusForCurrentVersion().code());
            }
            var again = assertThrows(ModprepException.class, () -> app.rollbacks().rollback(deployment.id(), null, "alice"));
            assertTrue(again.getMessage().contains("nothing left to roll back"), again.getMessage());
        }
    }

    @Test
    void a_whole_rollback_goes_consumers_before_producers_D7() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Lib", "Core").module("App", "Lib");
        try (var app = imported(env, dir.resolve("env"))) {
            upgradeAndPrepare(app, "11.17.0");
            var deployment = deployToEnd(app);
            var result = app.rollbacks().rollback(deployment.id(), null, "alice");
            assertEquals(List.of("App", "Lib", "Core"), result.rolledBack().stream().map(Rollbacks.RolledBack::module).toList());
        }
    }

    @Test
    void a_preparation_and_a_deployment_never_run_at_once_and_each_refusal_names_the_other_D2() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Lib", "Core");
        try (var app = imported(env, dir.resolve("env"))) {
            long run = app.preparations().upgrade("11.17.0", "alice").runId();
            var refused = assertThrows(ModprepException.class, () -> app.deployments().deploy("bob"));
            assertTrue(refused.getMessage().contains("preparation run #" + run + " (started by alice) is in progress"), refused.getMessage());
            assertNotNull(app.deployments().preview().inProgress(), "the preview says Deploy would be refused, and why");
            assertTrue(new RunSlot(app.database().dsl()).taken(), "a run in progress (a server compacts its file only when none is)");
            Deploying.prepareToEnd(app, run);
            assertFalse(new RunSlot(app.database().dsl()).taken());

            long deployment = app.deployments().deploy("bob").deploymentId();
            var prepare = assertThrows(ModprepException.class, () -> app.preparations().prepare("alice"));
            assertTrue(prepare.getMessage().contains("deployment #" + deployment + " (started by bob) is in progress"), prepare.getMessage());
            var upgrade = assertThrows(ModprepException.class, () -> app.preparations().upgrade("11.18.0", "alice"));
            assertTrue(upgrade.getMessage().contains("deployment #" + deployment), upgrade.getMessage());
            var rollback = assertThrows(ModprepException.class, () -> app.rollbacks().rollback(deployment, null, "alice"));
            assertTrue(rollback.getMessage().contains("deployment #" + deployment), rollback.getMessage());
            assertTrue(new RunSlot(app.database().dsl()).taken(), "a deployment in progress, as a run is");
            // The database itself holds one run in progress: a second row is refused whatever the process.
            assertThrows(org.jooq.exception.DataAccessException.class, () -> app.database().dsl().insertInto(RUN_IN_PROGRESS)
                    .set(RUN_IN_PROGRESS.SLOT, 1).set(RUN_IN_PROGRESS.KIND, RunKind.PREPARATION).set(RUN_IN_PROGRESS.RUN_ID, 99L).execute());
            assertThrows(org.jooq.exception.DataAccessException.class, () -> app.database().dsl().insertInto(RUN_IN_PROGRESS)
                    .set(RUN_IN_PROGRESS.SLOT, 2).set(RUN_IN_PROGRESS.KIND, RunKind.PREPARATION).set(RUN_IN_PROGRESS.RUN_ID, 99L).execute());
            assertEquals(RunStatus.SUCCEEDED, Deploying.awaitDeployment(app, deployment).status());
        }
    }

    @Test
    void publish_apply_configurations_and_delete_of_a_module_of_the_group_deploying_are_refused_naming_the_deployment_D4() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Lib", "Core");
        try (var app = imported(env, dir.resolve("env"))) {
            upgradeAndPrepare(app, "11.17.0");
            long id = app.deployments().deploy("bob").deploymentId();
            long core = Builds.module(app, "Core").getId();
            // Group 1's first step, as the worker takes it: its modules are locked.
            app.database().transaction(tx -> {
                new DeploymentRepository(tx).startGroup(id, 1, List.of(core), java.time.OffsetDateTime.now());
                return null;
            });
            var publish = assertThrows(ModprepException.class, () -> app.publisher().publish(List.of("Core"), "carol"));
            assertTrue(publish.getMessage().startsWith("Publish of module Core was refused"), publish.getMessage());
            assertTrue(publish.getMessage().contains("locked by deployment #" + id + " (started "), publish.getMessage());
            assertTrue(publish.getMessage().contains("deploying the module's group 1 of 2"), publish.getMessage());
            assertTrue(publish.getMessage().contains("/deployments/" + id), publish.getMessage());
            var delete = assertThrows(ModprepException.class, () -> app.operations().delete("Core", "carol"));
            assertTrue(delete.getMessage().startsWith("Delete of module Core was refused"), delete.getMessage());
            var apply = assertThrows(ModprepException.class, () -> app.operations().applyConfigurations("Core", Map.of("k", "v"), "carol"));
            assertTrue(apply.getMessage().contains("locked by deployment #" + id), apply.getMessage());
            assertEquals("11.16.1", Builds.module(app, "Core").getRunningVersion(), "nothing changed");

            var deployment = Deploying.awaitDeployment(app, id);
            assertEquals(RunStatus.SUCCEEDED, deployment.status(), "the redone group deploys as planned");
            assertTrue(app.publisher().publish(List.of("Lib"), "carol").allPublished(), "unlocked once the deployment ends");
            assertEquals(0, app.database().dsl().fetchCount(DEPLOYMENT_STEP, DEPLOYMENT_STEP.FINISHED_AT.isNull()));
        }
    }

    @Test
    void a_producer_member_missing_from_the_compilation_that_will_run_fails_the_consumer_with_its_name_D5() {
        var env = new TestEnvironment("11.16.1").module("Core").module("Lib", "Core").module("App", "Lib");
        try (var app = imported(env, dir.resolve("env"))) {
            assertEquals(RunStatus.SUCCEEDED, upgradeAndPrepare(app, "11.17.0").status());
            assertTrue(app.publisher().publish(List.of("Core"), "bob").allPublished(), "Core runs its compilation for 11.17.0");
            // Core's stored jar loses Api.value(), which Lib calls: the store is damaged, every hash still names the old jar.
            var javac = new modprep.platform.JavaSourceCompiler();
            var damaged = javac.compile(List.of(new modprep.platform.JavaSourceCompiler.ModuleSources("Core", List.of(
                    new modprep.platform.SourceFile("m/core/Api.java", "package m.core;\npublic final class Api {\n"
                            + "    public static String builtFor() { return \"11.17.0\"; }\n}\n")))), List.of());
            assertTrue(damaged.succeeded(), damaged.errors().toString());
            String coreJar = Builds.module(app, "Core").getRunningJar();
            app.database().dsl().update(modprep.db.schema.Tables.STORED_BLOB)
                    .set(modprep.db.schema.Tables.STORED_BLOB.CONTENT, damaged.classesByModule().get("Core").toJar())
                    .where(modprep.db.schema.Tables.STORED_BLOB.SHA256.eq(coreJar)).execute();

            var deployment = deployToEnd(app);
            var modules = new HashMap<String, DeploymentView.ModuleView>();
            deployment.groups().forEach(g -> g.modules().forEach(m -> modules.put(m.name(), m)));
            assertEquals(DeployStatus.FAILED, modules.get("Lib").status());
            assertEquals("it uses method m.core.Api.value() of Core, which the producers' compilations that will run do not have: "
                    + "run Prepare", modules.get("Lib").reason());
            assertEquals(DeployStatus.BLOCKED, modules.get("App").status());
            assertEquals("11.16.1", Builds.module(app, "Lib").getRunningVersion(), "Lib keeps running what it ran");
        }
    }
}
