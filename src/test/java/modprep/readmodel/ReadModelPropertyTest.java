package modprep.readmodel;

import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import modprep.Modprep;
import modprep.ModprepException;
import modprep.environment.Publisher;
import modprep.preparation.GroupDriver;
import modprep.preparation.RunRepository;
import modprep.status.RunStatus;
import modprep.status.VersionStatus;
import modprep.testing.OnPostgreSQL;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StatusBoardTest} as a property: in random environments (random references, a small reference
 * cycle now and then, failing modules, modules only uploaded, a random group size and mode), through a
 * random history of uploads, publishes, upgrades, Prepares, groups driven step by step, workers killed
 * mid-group and resumed by another, one long-lived board stays equal, after every operation and at every
 * step of every group, to a board read afresh, and every status agrees with {@link StatusOracle}.
 *
 * <p>Seeded: {@code -Dmodprep.property.seed=N} (case i runs seed N + i), {@code -Dmodprep.property.cases=K}.
 * A failure names its case's seed, the command that replays that case alone, the environment and the steps.
 */
class ReadModelPropertyTest {
    private static final long DEFAULT_SEED = 9_002L;
    private static final int DEFAULT_CASES = 30;
    private static final List<String> VERSIONS = List.of("11.16.1", "11.17.0", "11.18.0");

    /** Over every case: checks made, and how many of them found the board brought up to date rather than read again. */
    private static final AtomicLong CASES = new AtomicLong();
    private static final AtomicLong OPERATIONS = new AtomicLong();
    private static final AtomicLong CHECKS = new AtomicLong();
    private static final AtomicLong INCREMENTAL = new AtomicLong();

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> after_every_operation_and_every_step_the_board_kept_up_to_date_equals_a_board_read_afresh() {
        long seed = Long.getLong("modprep.property.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("modprep.property.cases", OnPostgreSQL.active() ? DEFAULT_CASES / 4 : DEFAULT_CASES);
        return IntStream.range(0, cases).mapToObj(i -> DynamicTest.dynamicTest("seed " + (seed + i),
                () -> new Case(seed + i, dir.resolve("case-" + i)).run()));
    }

    @AfterAll
    static void summary() {
        var cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> ", " + d.toSeconds() + " s of CPU in this JVM").orElse("");
        System.out.printf("ReadModelPropertyTest: %d cases, %d operations, %d checks, %d of them on a board brought up to date%s%n",
                CASES.get(), OPERATIONS.get(), CHECKS.get(), INCREMENTAL.get(), cpu);
    }

    /** One random environment and one random history of it. */
    private static final class Case {
        private final long seed;
        private final Random random;
        private final Path dir;
        private final TestEnvironment env;
        private final List<String> names = new ArrayList<>();
        /** Modules whose latest code does not compile on any version (a class that does not exist). */
        private final Set<String> broken = new HashSet<>();
        /** Modules uploaded since they were last published. */
        private final Set<String> unpublished = new TreeSet<>();
        private final int groupSize;
        private final boolean progressive;
        private final List<String> steps = new ArrayList<>();
        /** The environment as generated, for the report of a failure. */
        private final List<String> generated = new ArrayList<>();
        private Modprep app;
        private StatusBoard board;
        private Board last;
        private GroupDriver driver;
        private long driverRun;
        private int uploads;

        Case(long seed, Path dir) {
            this.seed = seed;
            this.random = new Random(seed);
            this.dir = dir;
            this.groupSize = 1 + random.nextInt(4);
            this.progressive = random.nextBoolean();
            int n = 6 + random.nextInt(20);
            var references = new ArrayList<Set<String>>();
            for (int i = 0; i < n; i++) {
                names.add("M" + i);
                var refs = new TreeSet<String>();
                for (int k = random.nextInt(Math.min(i, 3) + 1); k > 0; k--) {
                    refs.add("M" + random.nextInt(i));
                }
                references.add(refs);
            }
            if (random.nextBoolean()) {
                // A cycle of 2 or 3: each module uses the one before it, the first uses the last.
                var cycle = new TreeSet<Integer>();
                for (int size = 2 + random.nextInt(2); cycle.size() < size; ) {
                    cycle.add(random.nextInt(n));
                }
                var members = List.copyOf(cycle);
                for (int i = 0; i < members.size(); i++) {
                    references.get(members.get(i)).add("M" + members.get((i + members.size() - 1) % members.size()));
                }
            }
            var used = new HashSet<String>();
            references.forEach(used::addAll);
            this.env = new TestEnvironment("11.16.1");
            if (progressive) {
                env.progressive();
            }
            for (int i = 0; i < n; i++) {
                String name = names.get(i);
                var refs = references.get(i).toArray(String[]::new);
                if (i > 0 && !used.contains(name) && random.nextInt(5) == 0) {
                    env.uploaded(name, refs);
                } else if (random.nextInt(6) == 0) {
                    env.failing(name, refs);
                } else {
                    env.module(name, refs);
                }
                var def = env.definition(name);
                generated.add(name + " -> " + def.references() + (def.published() ? "" : ", uploaded only")
                        + (def.callsFindByName() ? ", calls Users.findByName" : ""));
            }
        }

        void run() {
            try (var opened = TestEnvironment.newModprep()) {
                app = opened;
                app.importer().importFolder(env.write(dir.resolve("env")), "test");
                TestEnvironment.setGroupSize(app, groupSize);
                board = new StatusBoard(app.database());
                check("after the import");
                for (int op = 1, ops = 8 + random.nextInt(13); op <= ops; op++) {
                    operation(op);
                    check("after operation " + op);
                    OPERATIONS.incrementAndGet();
                }
                CASES.incrementAndGet();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(report(e), e);
            }
        }

        private void operation(int op) {
            Long run = runningRun();
            var choices = new ArrayList<Runnable>();
            var labels = new ArrayList<String>();
            if (run != null) {
                int groups = 1 + random.nextInt(3);
                add(choices, labels, 4, "drive " + groups + " group(s) of run #" + run, () -> drive(run, groups));
                add(choices, labels, 2, "kill the worker mid-group in run #" + run, () -> kill(run));
                add(choices, labels, 2, "finish run #" + run, () -> finish(run));
            }
            add(choices, labels, run == null ? 3 : 1, "Prepare", this::prepare);
            if (!version().equals(VERSIONS.get(VERSIONS.size() - 1))) {
                add(choices, labels, 1, "upgrade", this::upgrade);
            }
            add(choices, labels, 3, "upload", this::upload);
            add(choices, labels, 3, "publish", this::publish);
            int pick = random.nextInt(choices.size());
            steps.add(op + ". " + labels.get(pick));
            choices.get(pick).run();
        }

        private static void add(List<Runnable> choices, List<String> labels, int weight, String label, Runnable action) {
            for (int i = 0; i < weight; i++) {
                choices.add(action);
                labels.add(label);
            }
        }

        // ----- operations -----

        private void prepare() {
            refusable(() -> {
                var started = app.preparations().prepare("bob");
                return started.runId() == null ? "nothing to prepare"
                        : "run #" + started.runId() + ": " + started.modules() + " modules in " + started.groups() + " groups, " + started.mode();
            });
        }

        private void upgrade() {
            String target = VERSIONS.get(VERSIONS.indexOf(version()) + 1);
            refusable(() -> {
                var started = app.preparations().upgrade(target, "alice");
                return "to " + target + ", run #" + started.runId() + ": " + started.modules() + " modules in " + started.groups() + " groups";
            });
        }

        /** A new version of a module's code: a fix, a change that compiles as before, one that fails, a new reference. */
        private void upload() {
            String name = names.get(random.nextInt(names.size()));
            var def = env.definition(name);
            boolean failing = def.callsFindByName() || broken.contains(name);
            var refs = new TreeSet<>(def.references());
            boolean callsFindByName = def.callsFindByName();
            boolean breaks = broken.contains(name);
            boolean newApiFix = false;
            String kind;
            int r = random.nextInt(10);
            if (failing && r < 6) {
                newApiFix = r == 0 && !breaks; // findByUsername: compiles from 11.17.0 on only
                kind = newApiFix ? "fix with findByUsername" : "fix";
                callsFindByName = false;
                breaks = false;
            } else if (r < 4) {
                kind = "change that keeps it compiling as before";
            } else if (r < 6) {
                kind = "change that calls Users.findByName (removed in 11.17.0)";
                callsFindByName = true;
            } else if (r < 8) {
                kind = "change that compiles on no version";
                breaks = true;
            } else if (!refs.isEmpty() && random.nextBoolean()) {
                String dropped = List.copyOf(refs).get(random.nextInt(refs.size()));
                refs.remove(dropped);
                kind = "change that no longer uses " + dropped;
            } else {
                String added = names.get(random.nextInt(names.size()));
                if (added.equals(name)) {
                    kind = "change that keeps it compiling as before";
                } else {
                    refs.add(added);
                    kind = "change that uses " + added;
                }
            }
            env.add(new TestEnvironment.ModuleDef(name, def.application(), def.published(), List.copyOf(refs), callsFindByName,
                    def.configuration()));
            Path folder = dir.resolve("upload-" + ++uploads);
            Path module = newApiFix ? env.writeFix(folder, name) : env.writeChanged(folder, name, uploads);
            if (breaks) {
                writeBroken(module, name);
                broken.add(name);
            } else {
                broken.remove(name);
            }
            app.uploader().upload(module, "bob");
            unpublished.add(name);
            steps.add("     " + name + ": " + kind);
        }

        private static void writeBroken(Path module, String name) {
            String pkg = TestEnvironment.packageOf(name);
            try {
                Files.writeString(module.resolve("src").resolve(pkg.replace('.', '/')).resolve("Broken.java"),
                        "package " + pkg + ";\n\nfinal class Broken {\n    static long value() {\n        return NoSuchClass.VALUE;\n    }\n}\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * One to three modules: ones uploaded since they were published, ones prepared (publishing is how a
         * prepared module gets used, P3), or any; refused (P7, P8) is a fine outcome.
         */
        private void publish() {
            var prepared = StatusOracle.statuses(app.database().dsl()).entrySet().stream()
                    .filter(e -> e.getValue().current()).map(Map.Entry::getKey).toList();
            var targets = new TreeSet<String>();
            for (int k = 1 + (random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0); k > 0; k--) {
                int choice = random.nextInt(3);
                var pool = choice == 0 && !unpublished.isEmpty() ? List.copyOf(unpublished)
                        : choice == 1 && !prepared.isEmpty() ? prepared : names;
                targets.add(pool.get(random.nextInt(pool.size())));
            }
            refusable(() -> {
                var report = app.publisher().publish(targets, "carol");
                var outcome = new StringBuilder();
                for (var result : report.results()) {
                    outcome.append(result.module()).append(' ').append(result.status()).append("; ");
                    if (result.status() == Publisher.Status.PUBLISHED) {
                        unpublished.remove(result.module());
                    }
                }
                return targets + ": " + outcome;
            });
        }

        /** Drives groups step by step, checking at every step; now and then publishes or uploads between two steps. */
        private void drive(long runId, int groups) {
            for (int g = 0; g < groups; g++) {
                Integer seq = new RunRepository(app.database().dsl()).nextGroup(runId);
                if (seq == null) {
                    return;
                }
                assertTrue(driver(runId).prepare(seq, check -> {
                    between(seq, check);
                    return false;
                }), "group " + seq + " went through");
                steps.add("     group " + seq + " prepared");
                check("after group " + seq);
            }
        }

        /** Stops a group after one of its steps and leaves the run as a SIGKILL does; the next driver takes it over. */
        private void kill(long runId) {
            Integer seq = new RunRepository(app.database().dsl()).nextGroup(runId);
            if (seq == null) {
                finish(runId);
                return;
            }
            int stopAfter = 1 + random.nextInt(3);
            assertFalse(driver(runId).prepare(seq, check -> {
                between(seq, check);
                return check >= stopAfter;
            }), "group " + seq + " stopped");
            check("group " + seq + " stopped after step check " + stopAfter);
            driver.dieLikeAKilledProcess();
            driver = null;
            steps.add("     group " + seq + " stopped after step check " + stopAfter + ", its worker killed");
            check("after the worker of group " + seq + " died");
        }

        private void finish(long runId) {
            drive(runId, Integer.MAX_VALUE);
            RunStatus status = driver(runId).finish();
            driver = null;
            steps.add("     run #" + runId + " ended " + status.code());
        }

        private void between(int seq, int check) {
            check("group " + seq + ", after step check " + check);
            // Between the compile and the save (check 3) is where a group's compilations and a publish cross.
            if (random.nextInt(check == 3 ? 2 : 5) == 0) {
                steps.add("     during group " + seq + ", after step check " + check + ":");
                if (random.nextInt(3) > 0) {
                    publish();
                } else {
                    upload();
                }
                check("group " + seq + ", after step check " + check + " and the operation made then");
            }
        }

        private GroupDriver driver(long runId) {
            if (driver == null || driverRun != runId) {
                driver = new GroupDriver(app, runId);
                driverRun = runId;
            }
            return driver;
        }

        /** An operation that may be refused; a refusal must change nothing. */
        private void refusable(Supplier<String> action) {
            var before = new StatusBoard(app.database()).current();
            try {
                steps.add("     " + action.get());
            } catch (ModprepException e) {
                assertEquals(ModprepException.Kind.REFUSED, e.kind(), e.getMessage());
                steps.add("     refused: " + abbreviate(e.getMessage()));
                var after = new StatusBoard(app.database()).current();
                assertEquals(before.stamp(), after.stamp(), "a refusal changes nothing: " + e.getMessage());
                assertEquals(new TreeMap<>(before.statuses()), new TreeMap<>(after.statuses()), "a refusal changes nothing");
            }
        }

        // ----- the property -----

        /** The board kept up to date equals a board read afresh (stamp and statuses), and each status is the oracle's. */
        private void check(String when) {
            CHECKS.incrementAndGet();
            var kept = board.current();
            if (last != null && kept != last && kept.snapshot() == last.snapshot()) {
                INCREMENTAL.incrementAndGet();
            }
            last = kept;
            var fresh = new StatusBoard(app.database()).current();
            if (!fresh.stamp().equals(kept.stamp())) {
                throw new AssertionError(when + ": the kept board's stamp " + kept.stamp() + " is not the fresh one's " + fresh.stamp());
            }
            var differences = new ArrayList<String>();
            var modules = new TreeSet<>(fresh.statuses().keySet());
            modules.addAll(kept.statuses().keySet());
            for (String m : modules) {
                var k = kept.statuses().get(m);
                var f = fresh.statuses().get(m);
                if (!Objects.equals(k, f)) {
                    differences.add(m + ": kept " + describe(k) + ", fresh " + describe(f));
                }
            }
            if (!differences.isEmpty()) {
                throw new AssertionError(when + ": the board kept up to date differs from a board read afresh:\n  "
                        + String.join("\n  ", differences));
            }
            var oracle = StatusOracle.statuses(app.database().dsl());
            if (!oracle.keySet().equals(modules)) {
                differences.add("the board has modules " + modules + ", the tables " + oracle.keySet());
            }
            for (String m : modules) {
                if (oracle.get(m) != fresh.statuses().get(m).status()) {
                    differences.add(m + ": board " + describe(fresh.statuses().get(m)) + ", rules from the tables " + oracle.get(m));
                }
            }
            if (!differences.isEmpty()) {
                throw new AssertionError(when + ": the board's statuses differ from the rules worked out from the tables:\n  "
                        + String.join("\n  ", differences));
            }
        }

        private static String describe(VersionStatus s) {
            if (s == null) {
                return "(none)";
            }
            var text = new StringBuilder(s.code());
            if (s.run() != null) {
                text.append(" [run #").append(s.run().runId()).append(" group ").append(s.run().group()).append(' ')
                        .append(s.run().status().code());
                if (s.run().blockedBy() != null) {
                    text.append(" by ").append(s.run().blockedBy());
                }
                text.append(']');
            }
            return text.append(s.runInProgress() ? ", run in progress" : "").append(", runs ").append(s.runningVersion()).toString();
        }

        private String report(Throwable e) {
            var text = new StringBuilder("\nRead model property failed for seed ").append(seed)
                    .append(". Replay this case alone: mvn -o test -Dtest=ReadModelPropertyTest -Dmodprep.property.seed=").append(seed)
                    .append(" -Dmodprep.property.cases=1\nEnvironment: group size ").append(groupSize)
                    .append(progressive ? ", progressive enabled" : "").append('\n');
            text.append("Modules as imported on 11.16.1:\n");
            generated.forEach(g -> text.append("  ").append(g).append('\n'));
            text.append("Steps:\n");
            steps.forEach(s -> text.append("  ").append(s).append('\n'));
            return text.append("Failure: ").append(e.getMessage()).toString();
        }

        private static String abbreviate(String message) {
            return message.length() <= 160 ? message : message.substring(0, 160) + "…";
        }

        private Long runningRun() {
            return app.database().dsl().select(PREPARATION_RUN.ID).from(PREPARATION_RUN)
                    .where(PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING)).fetchOne(PREPARATION_RUN.ID);
        }

        private String version() {
            return app.database().dsl().select(ENVIRONMENT.PLATFORM_VERSION).from(ENVIRONMENT).fetchSingle().value1();
        }
    }
}
