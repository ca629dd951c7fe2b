package modprep.deployment;

import static modprep.db.schema.Tables.DEPLOYMENT;
import static modprep.db.schema.Tables.DEPLOYMENT_LOCK;
import static modprep.db.schema.Tables.MODULE;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import modprep.environment.PreparationView;
import modprep.platform.PlatformVersion;
import modprep.status.RunKind;
import org.jooq.DSLContext;

/**
 * What the environment's guard learns of runs (P7, D4): the preparation's locks and entries, and the
 * locks of the deployment group in progress, each named by its kind of run.
 */
public record RunsView(PreparationView preparation) implements PreparationView {
    @Override
    public Map<String, Lock> locksOf(DSLContext tx, Collection<String> modules) {
        var locks = new HashMap<>(preparation.locksOf(tx, modules));
        tx.select(MODULE.NAME, DEPLOYMENT_LOCK.DEPLOYMENT_ID, DEPLOYMENT_LOCK.GROUP_SEQ, DEPLOYMENT.GROUP_COUNT, DEPLOYMENT.STARTED_AT,
                        DEPLOYMENT.STARTED_BY)
                .from(DEPLOYMENT_LOCK).join(MODULE).on(MODULE.ID.eq(DEPLOYMENT_LOCK.MODULE_ID))
                .join(DEPLOYMENT).on(DEPLOYMENT.ID.eq(DEPLOYMENT_LOCK.DEPLOYMENT_ID))
                .where(MODULE.NAME.in(modules))
                .forEach(r -> locks.putIfAbsent(r.value1(), new Lock(r.value1(), r.value2(), r.value3(), r.value4(), null, r.value5(),
                        r.value6(), RunKind.DEPLOYMENT)));
        return locks;
    }

    @Override
    public LatestRun latestRun(DSLContext tx, PlatformVersion version, Collection<String> modules) {
        return preparation.latestRun(tx, version, modules);
    }
}
