package modprep.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import modprep.db.Database;

/**
 * GET /health, for load balancers and monitoring, without signing in: 200 when the database answers, its
 * schema is the one this modprep knows and the background worker beats; 503 naming the check that failed.
 * It says nothing else (no versions, hosts or errors). Each check is bounded: a database that does not
 * answer within two seconds is down, and the request does not hang on it.
 */
final class HealthController {
    private static final long TIMEOUT_SECONDS = 2;
    /** The schema changes only when a node migrates it: checked again after this long. */
    private static final long SCHEMA_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Database database;
    private final BooleanSupplier workerAlive;
    private volatile long schemaCheckedAt;
    private volatile boolean schemaKnown;
    /** Runs the checks, so that the request can stop waiting for one that hangs. */
    private final java.util.concurrent.ExecutorService checks = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "modprep-health");
        thread.setDaemon(true);
        return thread;
    });

    HealthController(Database database, BooleanSupplier workerAlive) {
        this.database = database;
        this.workerAlive = workerAlive;
    }

    void health(Context ctx) {
        var checks = new LinkedHashMap<String, String>();
        boolean reachable = bounded(() -> database.dsl().selectOne().fetch().isNotEmpty());
        checks.put("database", reachable ? "up" : "down");
        checks.put("schema", !reachable ? "unknown" : bounded(this::schemaIsKnown) ? "up" : "down");
        checks.put("worker", workerAlive.getAsBoolean() ? "up" : "down");
        boolean up = checks.values().stream().allMatch("up"::equals);
        var body = new LinkedHashMap<String, Object>();
        body.put("status", up ? "up" : "down");
        body.put("checks", checks);
        ctx.status(up ? 200 : 503).json(body);
    }

    private boolean schemaIsKnown() {
        // A newer node may migrate the database at any time (nodes upgraded one by one): one cheap query says so.
        if (modprep.db.SchemaVersion.newerIn(database.dsl()).isPresent()) {
            schemaKnown = false;
            return false;
        }
        long now = System.nanoTime();
        if (schemaKnown && now - schemaCheckedAt < SCHEMA_RECHECK_NANOS) {
            return true;
        }
        schemaKnown = database.schemaProblem().isEmpty();
        schemaCheckedAt = now;
        return schemaKnown;
    }

    private boolean bounded(java.util.function.Supplier<Boolean> check) {
        try {
            return CompletableFuture.supplyAsync(check, checks).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false; // not answered in time, or an error: down, with nothing of it told
        }
    }

    void close() {
        checks.shutdownNow();
    }
}
