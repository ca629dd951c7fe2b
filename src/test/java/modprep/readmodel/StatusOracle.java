package modprep.readmodel;

import static modprep.db.schema.Tables.CODE_REFERENCE;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_CODE;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import modprep.environment.BuildInputs;
import modprep.platform.PlatformVersion;
import modprep.status.ModuleStatus;
import modprep.status.RunStatus;
import org.jooq.DSLContext;

/**
 * Every module's status for the current version worked out naively from the tables, with none of the
 * snapshot's, the currentness rule's or the board's code (only the hash that names a compilation's
 * inputs): the property test's witness that the board read afresh is right, not only equal to the
 * board kept up to date. A published module is current when it has a compilation for the version of
 * the code it runs, made from the inputs its unit's producers' compilations give, and those producers
 * are current; the modules of a reference cycle are one unit (P3, P8, P11). Its status is then U6's.
 */
final class StatusOracle {
    private StatusOracle() {
    }

    private record Module(String name, Long publishedCode, String sources, String runningVersion, boolean publishRequired) {
    }

    private record Build(long codeId, String inputs, String jar) {
    }

    static Map<String, ModuleStatus> statuses(DSLContext dsl) {
        String version = dsl.select(ENVIRONMENT.PLATFORM_VERSION).from(ENVIRONMENT).fetchSingle().value1();
        var modules = new TreeMap<String, Module>();
        dsl.select(MODULE.NAME, MODULE.PUBLISHED_CODE_ID, MODULE_CODE.SOURCES_SHA256, MODULE.RUNNING_VERSION, MODULE.PUBLISH_REQUIRED)
                .from(MODULE).leftJoin(MODULE_CODE).on(MODULE_CODE.ID.eq(MODULE.PUBLISHED_CODE_ID))
                .forEach(r -> modules.put(r.value1(), new Module(r.value1(), r.value2(), r.value3(), r.value4(), r.value5())));
        var producers = new HashMap<String, Set<String>>();
        var producer = MODULE.as("producer");
        dsl.select(MODULE.NAME, producer.NAME).from(MODULE)
                .join(CODE_REFERENCE).on(CODE_REFERENCE.CODE_ID.eq(MODULE.PUBLISHED_CODE_ID))
                .join(producer).on(producer.ID.eq(CODE_REFERENCE.PRODUCER_ID))
                .forEach(r -> producers.computeIfAbsent(r.value1(), k -> new TreeSet<>()).add(r.value2()));
        var builds = new HashMap<String, Build>();
        dsl.select(MODULE.NAME, MODULE_BUILD.CODE_ID, MODULE_BUILD.INPUTS_SHA256, MODULE_BUILD.JAR_SHA256)
                .from(MODULE_BUILD).join(MODULE).on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID))
                .where(MODULE_BUILD.PLATFORM_VERSION.eq(version))
                .forEach(r -> builds.put(r.value1(), new Build(r.value2(), r.value3(), r.value4())));
        var run = dsl.select(PREPARATION_RUN.ID, PREPARATION_RUN.STATUS).from(PREPARATION_RUN)
                .where(PREPARATION_RUN.TO_VERSION.eq(version)).orderBy(PREPARATION_RUN.ID.desc()).limit(1).fetchOne();
        boolean runRunning = run != null && run.value2() == RunStatus.RUNNING;
        Map<String, ModuleStatus> inRun = run == null ? Map.of()
                : dsl.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.STATUS).from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(run.value1()))
                        .fetchMap(RUN_MODULE.MODULE_NAME, RUN_MODULE.STATUS);

        var current = current(PlatformVersion.parseOrNull(version), modules, producers, builds);
        var statuses = new TreeMap<String, ModuleStatus>();
        for (var m : modules.values()) {
            ModuleStatus row = inRun.get(m.name());
            ModuleStatus status;
            if (m.publishedCode() == null) {
                status = ModuleStatus.UPLOADED;
            } else if (current.contains(m.name())) {
                status = version.equals(m.runningVersion()) ? ModuleStatus.RUNNING : ModuleStatus.PREPARED;
            } else if (runRunning && (row == ModuleStatus.PENDING || row == ModuleStatus.PREPARING)) {
                status = row;
            } else if (row == ModuleStatus.FAILED || row == ModuleStatus.BLOCKED) {
                status = row;
            } else {
                status = m.publishRequired() ? ModuleStatus.PUBLISH_REQUIRED : ModuleStatus.NOT_PREPARED;
            }
            statuses.put(m.name(), status);
        }
        return statuses;
    }

    /** The current modules: every unit worked out again until nothing changes (units upstream settle first). */
    private static Set<String> current(PlatformVersion version, Map<String, Module> modules, Map<String, Set<String>> producers,
                                       Map<String, Build> builds) {
        var published = modules.values().stream().filter(m -> m.publishedCode() != null).map(Module::name).toList();
        var reach = new HashMap<String, Set<String>>();
        for (String m : published) {
            var seen = new HashSet<String>();
            var queue = new ArrayDeque<>(producers.getOrDefault(m, Set.of()));
            while (!queue.isEmpty()) {
                String p = queue.poll();
                if (seen.add(p)) {
                    queue.addAll(producers.getOrDefault(p, Set.of()));
                }
            }
            reach.put(m, seen);
        }
        var current = new HashSet<String>();
        for (boolean moved = true; moved; ) {
            moved = false;
            for (String m : published) {
                var unit = new TreeSet<String>();
                unit.add(m);
                reach.get(m).stream().filter(p -> reach.containsKey(p) && reach.get(p).contains(m)).forEach(unit::add);
                boolean now = unitCurrent(version, unit, modules, producers, builds, current);
                if (now != current.contains(m)) {
                    moved = true;
                    if (now) {
                        current.add(m);
                    } else {
                        current.remove(m);
                    }
                }
            }
        }
        return current;
    }

    private static boolean unitCurrent(PlatformVersion version, Set<String> unit, Map<String, Module> modules,
                                       Map<String, Set<String>> producers, Map<String, Build> builds, Set<String> current) {
        var external = new TreeSet<String>();
        unit.forEach(m -> producers.getOrDefault(m, Set.of()).stream().filter(p -> !unit.contains(p)).forEach(external::add));
        if (!current.containsAll(external)) {
            return false;
        }
        var sources = new LinkedHashMap<String, String>();
        unit.forEach(m -> sources.put(m, modules.get(m).sources()));
        List<BuildInputs.ProducerBuild> producerBuilds = external.stream()
                .map(p -> new BuildInputs.ProducerBuild(p, builds.get(p).jar(), builds.get(p).inputs())).toList();
        var expected = BuildInputs.of(version, sources, producerBuilds);
        for (String m : unit) {
            var build = builds.get(m);
            if (build == null || build.codeId() != modules.get(m).publishedCode() || !build.inputs().equals(expected.get(m))) {
                return false;
            }
        }
        return true;
    }
}
