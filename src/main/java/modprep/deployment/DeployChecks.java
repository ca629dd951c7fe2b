package modprep.deployment;

import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_CODE;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import modprep.db.BlobStore;
import modprep.db.Sha256;
import modprep.environment.EnvironmentSnapshot;
import modprep.platform.ClassFiles;
import org.jooq.DSLContext;

/**
 * D5: the checks just before a module is deployed, each failure worded with its cause: its prepared
 * compilation is still current (the one rule, environment's Currentness), its stored jar matches its
 * content hash, and what it uses from its producers exists in the producers' compilations that will run.
 */
final class DeployChecks {
    /** How a module's check ended: deploy it, skip it (published meanwhile), or fail it with why. */
    record Verdict(boolean deploy, boolean skip, String reason) {
        static final Verdict DEPLOY = new Verdict(true, false, null);

        static Verdict fail(String reason) {
            return new Verdict(false, false, reason);
        }
    }

    private final DSLContext dsl;
    private final EnvironmentSnapshot snapshot;
    private final Map<Long, Integer> seqs;

    DeployChecks(DSLContext dsl, EnvironmentSnapshot snapshot) {
        this.dsl = dsl;
        this.snapshot = snapshot;
        this.seqs = publishedCodeSeqs(dsl);
    }

    /** The version number of each module's published code, by code id. */
    static Map<Long, Integer> publishedCodeSeqs(DSLContext dsl) {
        return dsl.select(MODULE_CODE.ID, MODULE_CODE.SEQ).from(MODULE_CODE).join(MODULE).on(MODULE.PUBLISHED_CODE_ID.eq(MODULE_CODE.ID))
                .fetchMap(MODULE_CODE.ID, MODULE_CODE.SEQ);
    }

    Verdict check(DeploymentRepository.GroupModule module) {
        String version = snapshot.version().toString();
        var state = snapshot.module(module.name());
        if (state == null || !state.published()) {
            return Verdict.fail("it was deleted or unpublished since the deployment was planned");
        }
        var build = snapshot.build(module.name());
        boolean current = snapshot.isCurrent(module.name());
        if (current && version.equals(state.runningVersion()) && build != null && !build.inputsSha256().equals(module.inputs())) {
            return new Verdict(false, true, "Published since the deployment was planned: it already runs its published compilation for "
                    + version + ".");
        }
        int codeNow = seqs.getOrDefault(state.publishedCodeId(), 0);
        if (codeNow != module.codeSeq()) {
            return Verdict.fail("prepared from its code version " + module.codeSeq() + "; it now runs version " + codeNow
                    + " (published since): run Prepare");
        }
        for (var entry : DeploymentPlanner.parseProducerCodes(module.producerCodes()).entrySet()) {
            var producer = snapshot.module(entry.getKey());
            int now = producer == null || producer.publishedCodeId() == null ? 0 : seqs.getOrDefault(producer.publishedCodeId(), 0);
            if (now != entry.getValue()) {
                return Verdict.fail("prepared against " + entry.getKey() + "'s code version " + entry.getValue() + "; " + entry.getKey()
                        + (now == 0 ? " is no longer published" : " now runs version " + now) + ": run Prepare");
            }
        }
        if (!current || build == null) {
            return Verdict.fail("its compilation for " + version + " is no longer current (a producer was prepared or published "
                    + "again since): run Prepare");
        }
        if (!build.inputsSha256().equals(module.inputs())) {
            return Verdict.fail("it was prepared again since the deployment was planned: Deploy again to deploy the new compilation");
        }
        byte[] jar = new BlobStore(dsl).get(module.jar());
        if (jar == null) {
            return Verdict.fail("its stored jar " + abbreviate(module.jar()) + " is missing: run Prepare to compile it again");
        }
        String actual = Sha256.of(jar);
        if (!actual.equals(module.jar())) {
            return Verdict.fail("its stored jar no longer matches its content hash (expected " + abbreviate(module.jar()) + ", found "
                    + abbreviate(actual) + "): run Prepare to compile it again");
        }
        var missing = BytecodeCheck.missing(ClassFiles.fromJar(module.name(), jar), producerClasses(module.name()));
        if (!missing.isEmpty()) {
            return Verdict.fail("it uses " + String.join(", ", missing.stream().limit(5).toList())
                    + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "")
                    + ", which the producers' compilations that will run do not have: run Prepare");
        }
        return Verdict.DEPLOY;
    }

    /** The compilations every producer (transitively) will run once its group is deployed: its compilation for the version. */
    private List<ClassFiles> producerClasses(String module) {
        var graph = snapshot.publishedGraph();
        var unit = new HashSet<>(graph.unitOf(module));
        var producers = new ArrayList<String>();
        for (String p : graph.transitiveProducers(List.of(module))) {
            if (!unit.contains(p) && snapshot.build(p) != null) {
                producers.add(p);
            }
        }
        var jars = new BlobStore(dsl).getAll(producers.stream().map(p -> snapshot.build(p).jarSha256()).toList());
        var classes = new ArrayList<ClassFiles>();
        for (String p : producers) {
            byte[] bytes = jars.get(snapshot.build(p).jarSha256());
            if (bytes != null) {
                classes.add(ClassFiles.fromJar(p, bytes));
            }
        }
        return classes;
    }

    private static String abbreviate(String sha) {
        return sha == null ? "?" : sha.substring(0, Math.min(12, sha.length()));
    }
}
