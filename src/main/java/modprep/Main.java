package modprep;

import modprep.cli.ModprepCommand;

/** {@code java -jar modprep.jar COMMAND …}: see {@code modprep --help}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        boolean serving = args.length > 0 && java.util.Arrays.asList(args).contains("serve");
        // Logging is set up by the command line (ModprepCommand), once it is read; Logback itself starts now, aside.
        modprep.logging.Logging.startEarly();
        modprep.db.OutOfMemory.install(serving, modprep.cli.ExitCodes.ERROR);
        if (!serving) {
            var jit = new Thread(modprep.platform.Jit::leaveOutC2, "modprep-jit"); // 0.1 s of JMX set-up, on the other core
            jit.setDaemon(true);
            jit.start();
        }
        System.exit(ModprepCommand.run(args));
    }
}
