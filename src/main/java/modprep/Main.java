package modprep;

import modprep.cli.ModprepCommand;

/** {@code java -jar modprep.jar COMMAND …}: see {@code modprep --help}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        boolean serving = args.length > 0 && java.util.Arrays.asList(args).contains("serve");
        // Commands print their own output; only the server logs what it does.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", serving ? "info" : "warn");
        }
        // A database that cannot be opened or written (a full disk) is reported once, clearly, by the command
        // (ModprepCommand): the migration tool's and the pool's own stack traces would bury it.
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "off");
        if (!serving) {
            System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "off");
            var jit = new Thread(ShortLivedJit::leaveOutC2, "modprep-jit"); // 0.1 s of JMX set-up, on the other core
            jit.setDaemon(true);
            jit.start();
        }
        System.exit(ModprepCommand.run(args));
    }
}
