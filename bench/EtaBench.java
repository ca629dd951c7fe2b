import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import modprep.Modprep;
import modprep.insight.Insights;
import modprep.preparation.WorkerKind;
import modprep.readmodel.RunQueries;

/**
 * bench/eta.sh's measurement (I1): upgrades the imported environment in DATA to VERSION with a worker
 * in this process and, each time a group ends, asks the estimate how long the run has left, exactly as
 * the console and `--follow` do (Insights.eta, from the database alone). Once the run ended, the actual
 * time left at each of those moments is known. Prints, for the first moment at or past 25 %, 50 % and
 * 75 % of the modules prepared, the predicted and the actual remaining time and the error, as Markdown
 * rows, and every sample to SAMPLES (CSV).
 *
 * <p>Usage: {@code java -cp bench-classes:modprep.jar EtaBench DATA VERSION SAMPLES}
 */
public final class EtaBench {
    record Sample(Instant at, int prepared, int total, int groupsDone, int groups, Long predictedMs) {
    }

    public static void main(String[] args) throws Exception {
        var data = Path.of(args[0]);
        String version = args[1];
        var samplesFile = Path.of(args[2]);
        var samples = new ArrayList<Sample>();
        Instant finished;
        Instant started;
        try (var app = Modprep.open(data)) {
            var insights = new Insights(app.database(), null);
            var queries = new RunQueries(app.database().dsl());
            var run = app.preparations().upgrade(version, "bench");
            long runId = run.runId();
            try (var worker = app.worker(WorkerKind.CLI).start()) {
                worker.wake();
                int seen = 0;
                while (true) {
                    var view = queries.run(runId, false);
                    int done = queries.groupsDone(runId);
                    if (!view.running()) {
                        finished = view.finishedAt();
                        started = view.startedAt();
                        break;
                    }
                    if (done > seen) {
                        seen = done;
                        var eta = insights.eta(runId);
                        samples.add(new Sample(eta == null ? Instant.now() : eta.at(), view.counts().prepared(), view.counts().total(), done,
                                view.groupCount(), eta == null ? null : eta.remainingMs()));
                    }
                    Thread.sleep(5);
                }
            }
        }
        var csv = new StringBuilder("seconds_into_run,prepared,total,groups_done,groups,predicted_remaining_ms,actual_remaining_ms\n");
        for (var s : samples) {
            csv.append(String.format(Locale.ROOT, "%.3f,%d,%d,%d,%d,%s,%d%n", Duration.between(started, s.at()).toMillis() / 1000.0,
                    s.prepared(), s.total(), s.groupsDone(), s.groups(), s.predictedMs() == null ? "" : s.predictedMs(),
                    Duration.between(s.at(), finished).toMillis()));
        }
        Files.writeString(samplesFile, csv);
        System.out.printf(Locale.ROOT, "run_s=%.3f%n", Duration.between(started, finished).toMillis() / 1000.0);
        for (int pct : new int[] {25, 50, 75}) {
            var s = samples.stream().filter(x -> x.prepared() * 100 >= pct * x.total() && x.predictedMs() != null).findFirst().orElse(null);
            if (s == null) {
                System.out.printf("| %d %% | no sample |  |  |  |  |%n", pct);
                continue;
            }
            long actual = Duration.between(s.at(), finished).toMillis();
            double error = actual == 0 ? 0 : 100.0 * (s.predictedMs() - actual) / actual;
            System.out.printf(Locale.ROOT, "| %d %% | %d of %d modules, group %d of %d | %.2f | %.2f | %.2f | %+.1f %% |%n", pct, s.prepared(),
                    s.total(), s.groupsDone(), s.groups(), Duration.between(started, s.at()).toMillis() / 1000.0,
                    s.predictedMs() / 1000.0, actual / 1000.0, error);
        }
    }
}
