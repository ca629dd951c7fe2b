package modprep.preparation;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;
import static modprep.db.schema.Tables.MODULE_LOCK;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static modprep.db.schema.Tables.RUN_MODULE;

import java.nio.file.Path;
import java.util.Map;
import modprep.status.BuildOrigin;
import modprep.testing.ModprepProcess;
import org.jooq.DSLContext;

/**
 * Everything run #1 of a data folder ends with, to compare a run that was interrupted with one that was
 * not: its status, each module's status, each prepared module's jar, how many compilations exist, how
 * many locks and runs are left.
 */
record RunOutcome(String status, Map<String, String> moduleStatus, Map<String, String> preparedJars, int compilations,
                  int locks, int runs) {

    static RunOutcome of(Path data, String version) {
        return ModprepProcess.read(data, dsl -> of(dsl, version));
    }

    /** The same, of a database the test reaches through {@code dsl} (PostgreSQL shared by several nodes). */
    static RunOutcome of(DSLContext dsl, String version) {
        return new RunOutcome(
                dsl.select(PREPARATION_RUN.STATUS).from(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(1L)).fetchOne(PREPARATION_RUN.STATUS).code(),
                dsl.select(RUN_MODULE.MODULE_NAME, RUN_MODULE.STATUS).from(RUN_MODULE).where(RUN_MODULE.RUN_ID.eq(1L))
                        .fetchMap(RUN_MODULE.MODULE_NAME, r -> r.value2().code()),
                dsl.select(MODULE.NAME, MODULE_BUILD.JAR_SHA256).from(MODULE_BUILD).join(MODULE).on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID))
                        .where(MODULE_BUILD.PLATFORM_VERSION.eq(version), MODULE_BUILD.ORIGIN.eq(BuildOrigin.PREPARED), MODULE_BUILD.RUN_ID.eq(1L))
                        .fetchMap(MODULE.NAME, MODULE_BUILD.JAR_SHA256),
                dsl.fetchCount(COMPILATION), dsl.fetchCount(MODULE_LOCK), dsl.fetchCount(PREPARATION_RUN));
    }
}
