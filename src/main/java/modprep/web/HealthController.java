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
 * answer within two seconds is down, and the request does not hang on it; during an outage it is down at once.
 */
final class HealthController {
    private static final long TIMEOUT_SECONDS = 2;
    /** The schema changes only when a node migrates it: checked again after this long. */
    private static final long SCHEMA_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Database database;
    private final BooleanSupplier workerAlive;
    /** The database was opened by migrating it to this modprep's schema (or refusing a newer one): known at start. */
    private volatile long schemaCheckedAt = System.nanoTime();
    private volatile boolean schemaKnown = true;
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
        // Through the pool; if that fails or waits too long, a busy pool is not a database down: a connection of its own decides.
        boolean reachable = bounded(() -> database.dsl().selectOne().fetch().isNotEmpty(), false)
                || bounded(database::answersOutsideThePool, false);
        checks.put("database", reachable ? "up" : "down");
        // A check that waits on a busy pool leaves the last verdict standing: only a node migrating it changes the schema.
        checks.put("schema", !reachable ? "unknown" : bounded(this::schemaIsKnown, schemaKnown) ? "up" : "down");
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

    /** The check's answer, or {@code ifLate} when it takes more than the timeout; false when it fails. */
    private boolean bounded(java.util.function.Supplier<Boolean> check, boolean ifLate) {
        try {
            return CompletableFuture.supplyAsync(check, checks).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            return ifLate;
        } catch (Exception e) {
            return false; // an error: down, with nothing of it told
        }
    }

    void close() {
        checks.shutdownNow();
    }
}
