package modprep.preparation;

import static modprep.db.schema.Tables.PREPARATION_RUN;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import modprep.notification.Outbox;
import modprep.status.EventType;
import modprep.status.ModuleStatus;
import org.jooq.DSLContext;

/** What webhooks are told when a run starts and ends, published in the transaction that starts or ends it. */
final class RunEvents {
    private RunEvents() {
    }

    static void started(DSLContext tx, long runId, OffsetDateTime now) {
        Outbox.publish(tx, now, EventType.RUN_STARTED, describe(tx, runId));
    }

    static void ended(DSLContext tx, long runId, OffsetDateTime now) {
        Outbox.publish(tx, now, EventType.RUN_ENDED, describe(tx, runId));
    }

    /** The run as it stands in this transaction: versions, mode, status, counts, times. */
    private static Map<String, Object> describe(DSLContext tx, long runId) {
        var run = tx.selectFrom(PREPARATION_RUN).where(PREPARATION_RUN.ID.eq(runId)).fetchSingle();
        var payload = new LinkedHashMap<String, Object>();
        payload.put("runId", runId);
        payload.put("fromVersion", run.getFromVersion());
        payload.put("toVersion", run.getToVersion());
        payload.put("mode", run.getMode().code());
        payload.put("trigger", run.getTriggerKind().code());
        payload.put("status", run.getStatus().code());
        payload.put("startedBy", run.getStartedBy());
        payload.put("startedAt", run.getStartedAt().toInstant().toString());
        payload.put("finishedAt", run.getFinishedAt() == null ? null : run.getFinishedAt().toInstant().toString());
        payload.put("groups", run.getGroupCount());
        var modules = new LinkedHashMap<String, Object>();
        modules.put("total", run.getTotalCount());
        modules.put(ModuleStatus.PREPARED.code(), run.getPreparedCount());
        modules.put(ModuleStatus.FAILED.code(), run.getFailedCount());
        modules.put(ModuleStatus.BLOCKED.code(), run.getBlockedCount());
        payload.put("modules", modules);
        payload.put("internalError", run.getInternalError());
        return payload;
    }
}
