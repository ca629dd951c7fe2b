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
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * bench/eta.sh's measurement (I1): upgrades the imported environment in DATA to VERSION with a worker
 * in this process and, each time a group ends and every 100 ms between, asks the estimate how long the run
 * has left, exactly as the console and `--follow` do (Insights.eta, from the database alone). Once the run
 * ended, the actual time left at each of those moments is known. Prints, for the first moment at or past
 * 25 %, 50 % and 75 % of the modules prepared, then of the run's time, the predicted and the actual remaining
 * time and the error, as Markdown rows, and every sample to SAMPLES (CSV). With RECORDING, it also writes the run's timings as
 * src/test/java/modprep/insight/EtaModelTest replays them: RECORDING-groups.csv (each group's start, end,
 * compile step, modules and files) and RECORDING-compilations.csv (when each compilation was stored).
 *
 * <p>Usage: {@code java -cp bench-classes:modprep.jar EtaBench DATA VERSION SAMPLES [RECORDING]}
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
                    // At each group's end, as before, and every 100 ms between: the rows by time need moments where no group ends.
                    if (done > seen || samples.isEmpty() || Duration.between(samples.get(samples.size() - 1).at(), Instant.now()).toMillis() >= 100) {
                        seen = done;
                        var eta = insights.eta(runId);
                        samples.add(new Sample(eta == null ? Instant.now() : eta.at(), view.counts().prepared(), view.counts().total(), done,
                                view.groupCount(), eta == null ? null : eta.remainingMs()));
                    }
                    Thread.sleep(5);
                }
            }
            if (args.length > 3) {
                record(app.database().dsl(), runId, started, finished, args[3]);
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
        long runMs = Duration.between(started, finished).toMillis();
        for (int pct : new int[] {25, 50, 75}) {
            row(pct + " % of the modules", samples.stream().filter(x -> x.prepared() * 100 >= pct * x.total() && x.predictedMs() != null).findFirst(),
                    started, finished);
        }
        for (int pct : new int[] {25, 50, 75}) {
            var at = started.plusMillis(runMs * pct / 100);
            row(pct + " % of the time", samples.stream().filter(x -> !x.at().isBefore(at)).findFirst(), started, finished);
        }
    }

    /** One Markdown row: the sample, the time the run really had left then, and the error. */
    private static void row(String when, java.util.Optional<Sample> sample, Instant started, Instant finished) {
        var s = sample.orElse(null);
        if (s == null) {
            System.out.printf("| %s | no sample |  |  |  |  |%n", when);
            return;
        }
        long actual = Duration.between(s.at(), finished).toMillis();
        String predicted = s.predictedMs() == null ? "none yet" : String.format(Locale.ROOT, "%.2f", s.predictedMs() / 1000.0);
        String error = s.predictedMs() == null || actual == 0 ? "" : String.format(Locale.ROOT, "%+.1f %%", 100.0 * (s.predictedMs() - actual) / actual);
        System.out.printf(Locale.ROOT, "| %s | %d of %d modules, group %d of %d | %.2f | %s | %.2f | %s |%n", when, s.prepared(), s.total(),
                s.groupsDone(), s.groups(), Duration.between(started, s.at()).toMillis() / 1000.0, predicted, actual / 1000.0, error);
    }

    /** The run's timings in the replay format of EtaModelTest, in ms from the run's start. */
    private static void record(DSLContext dsl, long runId, Instant started, Instant finished, String prefix) throws Exception {
        var groups = new StringBuilder("# Recorded by bench/EtaBench: run #" + runId + "; times in ms from the run's start; the run ended at "
                + Duration.between(started, finished).toMillis() + " ms" + imported(dsl) + ".\nSEQ,STARTED_MS,FINISHED_MS,COMPILE_STARTED_MS,COMPILE_FINISHED_MS,MODULES,FILES\n");
        for (var g : new modprep.insight.RunTimings(dsl).groups(runId)) {
            var compile = dsl.fetchOne("select started_at, finished_at from group_step where run_id = ? and group_seq = ? and ordinal = ?",
                    runId, g.seq(), modprep.preparation.GroupStep.COMPILE.ordinal1());
            var end = dsl.fetchOne("select finished_at from run_group where run_id = ? and seq = ?", runId, g.seq());
            groups.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%d%n", g.seq(), ms(started, g.startedAt()),
                    ms(started, end.get(0, java.time.OffsetDateTime.class).toInstant()),
                    ms(started, compile.get(0, java.time.OffsetDateTime.class).toInstant()),
                    ms(started, compile.get(1, java.time.OffsetDateTime.class).toInstant()), g.modules(), g.files()));
        }
        Files.writeString(Path.of(prefix + "-groups.csv"), groups);
        var compilations = new StringBuilder("# The compilations stored during run #" + runId + ", in ms from its start.\nMS\n");
        dsl.fetch("select compiled_at from compilation where compiled_at >= ? and compiled_at <= ? order by compiled_at",
                        started.atOffset(java.time.ZoneOffset.UTC), finished.atOffset(java.time.ZoneOffset.UTC))
                .forEach(r -> compilations.append(ms(started, r.get(0, java.time.OffsetDateTime.class).toInstant())).append('\n'));
        Files.writeString(Path.of(prefix + "-compilations.csv"), compilations);
    }

    /** The import's compiling, which a first run's estimate starts from (EtaModel.paceFromImport). */
    private static String imported(DSLContext dsl) {
        var r = dsl.fetchOne("select import_compile_ms, import_source_files from environment");
        return r == null || r.get(0) == null ? "" : "; the import compiled " + r.get(1) + " source files in " + r.get(0) + " ms";
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }
}
