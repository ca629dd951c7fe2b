package modprep.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Supplier;
import modprep.db.Backoff;
import modprep.db.Database;
import modprep.insight.Eta;
import modprep.insight.Insights;
import modprep.readmodel.RunQueries;
import modprep.readmodel.RunView;
import modprep.status.ModuleStatus;

/**
 * U9: a run's progress in the terminal, group by group, read from the database (so it shows a run
 * that another process works on just as well), until the run ends.
 */
final class RunFollower {
    private static final long POLL_MILLIS = 200;

    private final Database database;
    private final PrintWriter out;
    private final Insights insights;
    private long preparedSoFar;

    RunFollower(Database database, PrintWriter out) {
        this.database = database;
        this.out = out;
        this.insights = new Insights(database, null);
    }

    /** Prints each group as it ends, then the run's outcome; returns the finished run. */
    RunView follow(long runId, boolean verbose) throws InterruptedException {
        var queries = new RunQueries(database.dsl());
        var backoff = new Backoff("following run #" + runId, this::tell, this::tell);
        var run = read(backoff, () -> queries.run(runId, false));
        int printed = read(backoff, () -> queries.groupsDone(runId));
        int already = printed;
        preparedSoFar = printed == 0 ? 0 : read(backoff, () -> queries.groups(runId, 1, already)).stream()
                .mapToLong(g -> g.modules().stream().filter(m -> m.status() == ModuleStatus.PREPARED).count()).sum();
        if (verbose && printed > 0) {
            out.printf("Resuming: %d of %d groups already prepared.%n", printed, run.groupCount());
        }
        while (true) {
            run = read(backoff, () -> queries.run(runId, false));
            int done = read(backoff, () -> queries.groupsDone(runId));
            if (verbose && done > printed) {
                // I1: the estimate, learned from the groups done so far, after the last group printed.
                var eta = run.running() ? read(backoff, () -> insights.recentEta(runId)) : null;
                int from = printed + 1;
                var groups = read(backoff, () -> queries.groups(runId, from, done));
                for (int i = 0; i < groups.size(); i++) {
                    printGroup(run, groups.get(i), i == groups.size() - 1 ? eta : null);
                }
            }
            printed = Math.max(printed, done);
            out.flush();
            if (!run.running()) {
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        printOutcome(run);
        return run;
    }

    /**
     * A read of the run, waited for while the database server does not answer: the run goes on where it is
     * worked on (another node, or this process's worker once the database is back), and so does following it.
     */
    private <T> T read(Backoff backoff, Supplier<T> query) throws InterruptedException {
        while (true) {
            try {
                T answer = query.get();
                backoff.succeeded();
                return answer;
            } catch (RuntimeException e) {
                if (!Database.connectionLost(e)) { // lost, not only down: at a shutdown the probe may answer a moment longer
                    throw e;
                }
                Thread.sleep(backoff.failed(e));
            }
        }
    }

    private void tell(String line) {
        out.println(line);
        out.flush();
    }

    private void printGroup(RunView run, RunView.GroupView group, Eta eta) {
        long prepared = group.modules().stream().filter(m -> m.status() == ModuleStatus.PREPARED).count();
        preparedSoFar += prepared;
        long failed = group.modules().stream().filter(m -> m.status() == ModuleStatus.FAILED).count();
        long blocked = group.modules().stream().filter(m -> m.status() == ModuleStatus.BLOCKED).count();
        var parts = new StringBuilder().append(prepared).append(" prepared");
        if (failed > 0) {
            parts.append(", ").append(failed).append(" failed");
        }
        if (blocked > 0) {
            parts.append(", ").append(blocked).append(" blocked");
        }
        String took = group.startedAt() == null || group.finishedAt() == null ? ""
                : String.format("%.1f s", Duration.between(group.startedAt(), group.finishedAt()).toMillis() / 1000.0);
        String left = eta == null || !eta.known() ? "" : "   " + eta.remainingText() + " left" + (eta.nodesText() == null ? "" : " " + eta.nodesText());
        out.printf("group %3d/%d  %2d modules: %-34s %7s   %d/%d prepared%s%n", group.seq(), run.groupCount(),
                group.modules().size(), parts, took, preparedSoFar, run.counts().total(), left);
        for (var module : group.modules()) {
            if (module.status() == ModuleStatus.FAILED) {
                String first = module.diagnostics() == null ? "" : module.diagnostics().lines().findFirst().orElse("");
                out.printf("    failed   %s: %s%n", module.name(), first);
            } else if (module.status() == ModuleStatus.BLOCKED) {
                out.printf("    blocked  %s (waiting on %s)%n", module.name(), module.blockedBy());
            }
        }
    }

    private void printOutcome(RunView run) {
        var c = run.counts();
        String took = run.finishedAt() == null ? "" : String.format(" in %.1f s",
                Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0);
        if (run.internalError() != null) {
            out.printf("Run #%d could not go on: internal error: %s%nRun `modprep prepare` to try again.%n", run.id(), run.internalError());
        } else if (run.succeeded()) {
            out.printf("Run #%d succeeded%s: %d of %d modules prepared for %s. Publish your applications at your own pace.%n",
                    run.id(), took, c.prepared(), c.total(), run.toVersion());
        } else {
            out.printf("Run #%d finished with errors%s: %d prepared, %d failed, %d blocked by them, %d pending.%n"
                            + "Fix the failed modules, upload and publish them, then run `modprep prepare`.%n",
                    run.id(), took, c.prepared(), c.failed(), c.blocked(), c.pending());
        }
        out.flush();
    }
}
