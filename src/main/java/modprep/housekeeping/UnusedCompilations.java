package modprep.housekeeping;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_CODE;
import static modprep.db.schema.Tables.PLATFORM_BUILD;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.STORED_BLOB;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import modprep.platform.PlatformVersion;
import modprep.status.RunStatus;
import org.jooq.DSLContext;
import org.jooq.Record4;
import org.jooq.impl.DSL;

/**
 * Stored compilations no module uses any more, built before a cutoff:
 * <ul>
 * <li>a module's builds for platform versions older than the environment's, except the version it runs
 * and its latest build (a build for the current or a newer version is never old);</li>
 * <li>cached compilations that no build left names;</li>
 * <li>stored blobs nothing refers to any more (no compilation, build, running module, uploaded code or
 * platform build).</li>
 * </ul>
 * Nothing goes while a run is in progress: its groups look up and store compilations as they go; and
 * none starts meanwhile (the environment row is locked).
 */
final class UnusedCompilations {
    private final DSLContext tx;

    UnusedCompilations(DSLContext tx) {
        this.tx = tx;
    }

    /** What went: module builds, cached compilations, blobs and their bytes; or why nothing was looked at. */
    record Removed(int moduleBuilds, int compilations, int blobs, long blobBytes, String keptBecause) {
        static final Removed NONE = new Removed(0, 0, 0, 0, null);

        boolean nothing() {
            return moduleBuilds == 0 && compilations == 0 && blobs == 0;
        }

        String summary() {
            if (keptBecause != null) {
                return "no compilations (" + keptBecause + ")";
            }
            return moduleBuilds + " old module build(s), " + compilations + " cached compilation(s), " + blobs
                    + " stored blob(s) of " + blobBytes / 1024 + " KiB";
        }
    }

    Removed remove(OffsetDateTime cutoff) {
        // The lock a new run or an upgrade takes first: none starts until this transaction ends.
        tx.selectFrom(ENVIRONMENT).forUpdate().fetch();
        Long running = tx.select(PREPARATION_RUN.ID).from(PREPARATION_RUN).where(PREPARATION_RUN.STATUS.eq(RunStatus.RUNNING))
                .limit(1).fetchOne(PREPARATION_RUN.ID);
        if (running != null) {
            return new Removed(0, 0, 0, 0, "run #" + running + " is in progress");
        }
        int builds = removeOldBuilds(cutoff);
        var usedInputs = tx.selectDistinct(MODULE_BUILD.INPUTS_SHA256).from(MODULE_BUILD).fetchSet(MODULE_BUILD.INPUTS_SHA256);
        var unused = tx.select(COMPILATION.INPUTS_SHA256).from(COMPILATION).where(COMPILATION.COMPILED_AT.lt(cutoff))
                .fetch(COMPILATION.INPUTS_SHA256).stream().filter(inputs -> !usedInputs.contains(inputs)).toList();
        for (var chunk : chunks(unused)) {
            tx.deleteFrom(COMPILATION).where(COMPILATION.INPUTS_SHA256.in(chunk)).execute();
        }
        var referenced = new HashSet<String>();
        referenced.addAll(tx.selectDistinct(COMPILATION.JAR_SHA256).from(COMPILATION).fetchSet(COMPILATION.JAR_SHA256));
        referenced.addAll(tx.selectDistinct(MODULE_BUILD.JAR_SHA256).from(MODULE_BUILD).fetchSet(MODULE_BUILD.JAR_SHA256));
        referenced.addAll(tx.selectDistinct(MODULE.RUNNING_JAR).from(MODULE).where(MODULE.RUNNING_JAR.isNotNull()).fetchSet(MODULE.RUNNING_JAR));
        referenced.addAll(tx.selectDistinct(MODULE_CODE.SOURCES_SHA256).from(MODULE_CODE).fetchSet(MODULE_CODE.SOURCES_SHA256));
        referenced.addAll(tx.selectDistinct(PLATFORM_BUILD.JAR_SHA256).from(PLATFORM_BUILD).fetchSet(PLATFORM_BUILD.JAR_SHA256));
        // Only names and sizes are read: a blob's content can be megabytes.
        var orphans = tx.select(STORED_BLOB.SHA256, STORED_BLOB.SIZE_BYTES).from(STORED_BLOB).fetch().stream()
                .filter(blob -> !referenced.contains(blob.value1())).toList();
        long bytes = orphans.stream().mapToLong(blob -> blob.value2()).sum();
        for (var chunk : chunks(orphans.stream().map(blob -> blob.value1()).toList())) {
            tx.deleteFrom(STORED_BLOB).where(STORED_BLOB.SHA256.in(chunk)).execute();
        }
        return new Removed(builds, unused.size(), orphans.size(), bytes, null);
    }

    /** Builds for versions before the environment's, built before the cutoff, that the module neither runs nor built last. */
    private int removeOldBuilds(OffsetDateTime cutoff) {
        var current = PlatformVersion.parseOrNull(tx.select(ENVIRONMENT.PLATFORM_VERSION).from(ENVIRONMENT).fetchOne(ENVIRONMENT.PLATFORM_VERSION));
        if (current == null) {
            return 0;
        }
        Map<Long, List<Record4<Long, String, OffsetDateTime, String>>> byModule = new HashMap<>();
        tx.select(MODULE_BUILD.MODULE_ID, MODULE_BUILD.PLATFORM_VERSION, MODULE_BUILD.BUILT_AT, MODULE.RUNNING_VERSION)
                .from(MODULE_BUILD).join(MODULE).on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID))
                .forEach(build -> byModule.computeIfAbsent(build.value1(), id -> new ArrayList<>()).add(build));
        var removed = new ArrayList<org.jooq.Condition>();
        byModule.values().forEach(builds -> {
            var latest = builds.stream().max(Comparator.comparing(Record4::value3)).orElseThrow();
            for (var build : builds) {
                var version = PlatformVersion.parseOrNull(build.value2());
                boolean old = version != null && version.isBefore(current) && build.value3().isBefore(cutoff);
                if (old && build != latest && !build.value2().equals(build.value4())) {
                    removed.add(MODULE_BUILD.MODULE_ID.eq(build.value1()).and(MODULE_BUILD.PLATFORM_VERSION.eq(build.value2())));
                }
            }
        });
        for (var chunk : chunks(removed)) {
            tx.deleteFrom(MODULE_BUILD).where(DSL.or(chunk)).execute();
        }
        return removed.size();
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        var chunks = new ArrayList<List<T>>();
        for (int from = 0; from < all.size(); from += Housekeeping.CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + Housekeeping.CHUNK)));
        }
        return chunks;
    }
}
