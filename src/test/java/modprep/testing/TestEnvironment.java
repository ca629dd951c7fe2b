package modprep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modprep.Modprep;
import modprep.readmodel.RunQueries;
import modprep.readmodel.RunView;

/**
 * Small environments written as real folders (DESIGN §3), and a modprep on a fresh in-memory database
 * to import them into. Each module's code really uses its producers, so that a missing or unprepared
 * producer is a real compile error.
 */
public final class TestEnvironment {
    private final String version;
    private final Map<String, ModuleDef> modules = new LinkedHashMap<>();
    private boolean progressive;

    /** A module to write: its references, and whether it calls Users.findByName (removed in 11.17.0). */
    public record ModuleDef(String name, String application, boolean published, List<String> references,
                            boolean callsFindByName, Map<String, String> configuration) {
    }

    public TestEnvironment(String version) {
        this.version = version;
    }

    public TestEnvironment progressive() {
        progressive = true;
        return this;
    }

    public TestEnvironment module(String name, String... references) {
        return add(new ModuleDef(name, "App", true, List.of(references), false, Map.of()));
    }

    public TestEnvironment failing(String name, String... references) {
        return add(new ModuleDef(name, "App", true, List.of(references), true, Map.of()));
    }

    public TestEnvironment uploaded(String name, String... references) {
        return add(new ModuleDef(name, "App", false, List.of(references), false, Map.of()));
    }

    public TestEnvironment add(ModuleDef module) {
        modules.put(module.name(), module);
        return this;
    }

    /** Writes the environment folder. */
    public Path write(Path folder) {
        try {
            Files.createDirectories(folder.resolve("modules"));
            Files.writeString(folder.resolve("environment.properties"),
                    "platform.version=" + version + "\nprogressive.enabled=" + progressive + "\n");
            for (var module : modules.values()) {
                writeModule(folder.resolve("modules").resolve(module.name()), module, false);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a module folder with the module's code fixed to call findByUsername, ready for upload. */
    public Path writeFix(Path folder, String name) {
        try {
            writeModule(folder.resolve(name), modules.get(name), true);
            return folder.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a new version of a module's code, ready for upload: the same code (so it compiles where the
     * old one did) plus one more method, so that its sources, and so its compilations' inputs, differ.
     */
    public Path writeChanged(Path folder, String name, int revision) {
        try {
            writeModule(folder.resolve(name), modules.get(name), false);
            String pkg = packageOf(name);
            Files.writeString(folder.resolve(name).resolve("src").resolve(pkg.replace('.', '/')).resolve("Revision.java"),
                    "package " + pkg + ";\n\npublic final class Revision {\n    public static int value() {\n        return "
                            + revision + ";\n    }\n}\n");
            return folder.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module as defined here. */
    public ModuleDef definition(String name) {
        return modules.get(name);
    }

    private void writeModule(Path folder, ModuleDef module, boolean fixed) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("module.properties"), "application=" + module.application() + "\nstate="
                + (module.published() || fixed ? "published" : "uploaded") + "\nreferences=" + String.join(",", module.references()) + "\n");
        if (!module.configuration().isEmpty()) {
            var text = new StringBuilder();
            module.configuration().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(folder.resolve("config.properties"), text);
        }
        String pkg = packageOf(module.name());
        var calls = new StringBuilder();
        for (String producer : module.references()) {
            calls.append("        total += ").append(packageOf(producer)).append(".Api.value();\n");
        }
        String user = module.callsFindByName() && !fixed ? "Users.findByName(\"x\")"
                : fixed ? "Users.findByUsername(\"x\")" : "Users.currentUserId()";
        Path src = folder.resolve("src").resolve(pkg.replace('.', '/'));
        Files.createDirectories(src);
        Files.writeString(src.resolve("Api.java"), "package " + pkg + ";\n\nimport platform.system.Users;\n\n"
                + "public final class Api {\n    public static long value() {\n        long total = " + user + ";\n"
                + calls + "        return total;\n    }\n\n"
                // A compile-time constant, inlined by javac: each version's compilation really differs (P3).
                + "    public static String builtFor() {\n        return platform.system.Version.NAME;\n    }\n}\n");
    }

    public static String packageOf(String module) {
        return "m." + module.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** A modprep on its own fresh database (in memory), compiling on two threads. */
    public static Modprep newModprep() {
        return newModprep(java.time.Clock.systemUTC());
    }

    /** The same, on a clock of the test's (one that stands still, say); on PostgreSQL in a class run {@link OnPostgreSQL}. */
    public static Modprep newModprep(java.time.Clock clock) {
        return new Modprep(OnPostgreSQL.freshDatabase(), clock, 2);
    }

    /**
     * Waits (polling the database) until the run ends, and returns it with its groups. {@code stall}
     * bounds a hang, not the run: it fails only when the run stays on one step that long.
     */
    public static RunView awaitEnd(Modprep app, long runId, Duration stall) {
        var progress = RunProgress.ofPreparationRun(runId);
        var watch = new Stall(stall);
        for (var now = progress.apply(app.database().dsl()); now.running(); now = progress.apply(app.database().dsl())) {
            watch.moved(now, () -> "run #" + runId);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new RunQueries(app.database().dsl()).run(runId, true);
    }

    /** Polls until the condition holds, failing with {@code what} past the deadline. */
    public static void awaitTrue(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sets the environment's group size (P6: configurable, 10 by default). */
    public static void setGroupSize(Modprep app, int size) {
        app.database().dsl().update(modprep.db.schema.Tables.ENVIRONMENT)
                .set(modprep.db.schema.Tables.ENVIRONMENT.GROUP_SIZE, size).execute();
    }

    /** Module names of a run by status. */
    public static Map<String, List<String>> byStatus(RunView run) {
        var result = new LinkedHashMap<String, List<String>>();
        for (var group : run.groups()) {
            for (var module : group.modules()) {
                result.computeIfAbsent(module.status().code(), k -> new ArrayList<>()).add(module.name());
            }
        }
        result.values().forEach(list -> list.sort(null));
        return result;
    }
}
