package modprep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher (src/main/launcher/modprep) runs a command on C1 alone and the server with C2, with the
 * operator's JAVA_OPTS after its own options (so that they win). Run against a stand-in {@code java} that
 * prints its arguments.
 */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void aCommandRunsOnC1AloneAndTheServerKeepsC2() throws Exception {
        List<String> upgrade = launch("", "--data", "d", "upgrade", "--to", "11.17.0", "--follow");
        assertTrue(upgrade.contains("-XX:TieredStopAtLevel=1"), upgrade.toString());
        assertEquals(List.of("-jar", dir.resolve("modprep.jar").toString(), "--data", "d", "upgrade", "--to", "11.17.0", "--follow"),
                upgrade.subList(upgrade.indexOf("-jar"), upgrade.size()));

        List<String> serve = launch("", "--data", "d", "serve", "--port", "8080");
        assertFalse(serve.stream().anyMatch(a -> a.startsWith("-XX:TieredStopAtLevel")), serve.toString());
    }

    @Test
    void javaOptsComeAfterTheLaunchersOwn() throws Exception {
        List<String> args = launch("-Xmx512m -XX:TieredStopAtLevel=4", "status");
        assertTrue(args.indexOf("-XX:TieredStopAtLevel=1") < args.indexOf("-XX:TieredStopAtLevel=4"), args.toString());
        assertTrue(args.indexOf("-Xmx512m") < args.indexOf("-jar"), args.toString());
    }

    /** The arguments the launcher gives java, one per line from the stand-in. */
    private List<String> launch(String javaOpts, String... command) throws IOException, InterruptedException {
        Path launcher = dir.resolve("modprep");
        Files.copy(Path.of("src/main/launcher/modprep"), launcher, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        for (Path script : List.of(launcher, java)) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        var builder = new ProcessBuilder(launcher.toString());
        builder.command().addAll(List.of(command));
        builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        builder.environment().put("JAVA_OPTS", javaOpts);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out.lines().toList();
    }
}
