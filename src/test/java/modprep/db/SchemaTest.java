package modprep.db;

import static modprep.db.schema.Tables.APPLICATION;
import static modprep.db.schema.Tables.ENVIRONMENT;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.PREPARATION_RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.UUID;
import modprep.db.schema.DefaultSchema;
import modprep.status.PreparationMode;
import modprep.status.RunStatus;
import modprep.status.RunTrigger;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema: Flyway applies db/migration to a fresh database, and the jOOQ classes generated from the
 * same scripts query it. Run on H2 as modprep uses it, and on H2 in PostgreSQL mode, a check that the
 * scripts stay portable.
 */
class SchemaTest {

    private static JdbcDataSource fresh(String mode) {
        var dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" + mode);
        dataSource.setUser("sa");
        dataSource.setPassword("");
        return dataSource;
    }

    private static javax.sql.DataSource singleConnection(java.sql.Connection connection) {
        var kept = (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(SchemaTest.class.getClassLoader(),
                new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(SchemaTest.class.getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> method.getName().equals("getConnection") ? kept
                        : method.getReturnType() == int.class ? 0 : method.getReturnType() == boolean.class ? false : null);
    }

    private static long migrationScripts() throws IOException {
        try (var files = Files.list(Path.of("db/migration"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    @ParameterizedTest(name = "H2{0}")
    @ValueSource(strings = {"", ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"})
    void flyway_migrates_a_fresh_database_and_the_generated_classes_query_it(String mode) throws Exception {
        // One session for everything: H2 ties IN-list checks to the session that created them (see below).
        var connection = fresh(mode).getConnection();
        var dataSource = singleConnection(connection);
        var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
        var result = flyway.migrate();
        assertEquals(migrationScripts(), result.migrationsExecuted);
        assertEquals(0, flyway.migrate().migrationsExecuted, "migrating again changes nothing");

        var dsl = DSL.using(dataSource, SQLDialect.H2,
                new org.jooq.conf.Settings().withRenderQuotedNames(org.jooq.conf.RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED));
        for (var table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            assertEquals(0, dsl.fetchCount(table), table.getName() + " exists, empty");
        }

        var now = OffsetDateTime.now();
        dsl.insertInto(ENVIRONMENT).set(ENVIRONMENT.ID, 1).set(ENVIRONMENT.PLATFORM_VERSION, "11.16.1")
                .set(ENVIRONMENT.PROGRESSIVE_ENABLED, false).set(ENVIRONMENT.GROUP_SIZE, 10).set(ENVIRONMENT.IMPORTED_AT, now).execute();
        long app = dsl.insertInto(APPLICATION).set(APPLICATION.NAME, "Shop").returning(APPLICATION.ID).fetchOne().getId();
        long module = dsl.insertInto(MODULE).set(MODULE.NAME, "Core").set(MODULE.APPLICATION_ID, app)
                .returning(MODULE.ID).fetchOne().getId();
        var row = dsl.selectFrom(MODULE).where(MODULE.ID.eq(module)).fetchSingle();
        assertEquals(0, row.getRowVersion());
        assertEquals(false, row.getPublishRequired());
        assertEquals(0L, dsl.select(ENVIRONMENT.REVISION).from(ENVIRONMENT).fetchOne(ENVIRONMENT.REVISION));

        // The constraints the engine relies on.
        assertThrows(DataAccessException.class, () -> dsl.insertInto(ENVIRONMENT).set(ENVIRONMENT.ID, 2)
                .set(ENVIRONMENT.PLATFORM_VERSION, "11.16.1").set(ENVIRONMENT.PROGRESSIVE_ENABLED, false)
                .set(ENVIRONMENT.GROUP_SIZE, 10).set(ENVIRONMENT.IMPORTED_AT, now).execute(), "one environment");
        assertThrows(DataAccessException.class, () -> dsl.update(ENVIRONMENT).set(ENVIRONMENT.GROUP_SIZE, 0).execute(),
                "group size between 1 and 1000");
        assertThrows(DataAccessException.class, () -> dsl.insertInto(MODULE).set(MODULE.NAME, "Core")
                .set(MODULE.APPLICATION_ID, app).execute(), "module names are unique");
        assertThrows(DataAccessException.class, () -> dsl.insertInto(PREPARATION_RUN)
                .set(PREPARATION_RUN.FROM_VERSION, "11.16.1").set(PREPARATION_RUN.TO_VERSION, "11.17.0")
                .set(PREPARATION_RUN.MODE, PreparationMode.PROGRESSIVE).set(DSL.field(PREPARATION_RUN.STATUS.getQualifiedName(), String.class), "paused")
                .set(PREPARATION_RUN.TRIGGER_KIND, RunTrigger.UPGRADE).set(PREPARATION_RUN.STARTED_BY, "a")
                .set(PREPARATION_RUN.STARTED_AT, now).set(PREPARATION_RUN.GROUP_COUNT, 0).execute(), "known run statuses only");
        long run = dsl.insertInto(PREPARATION_RUN)
                .set(PREPARATION_RUN.FROM_VERSION, "11.16.1").set(PREPARATION_RUN.TO_VERSION, "11.17.0")
                .set(PREPARATION_RUN.MODE, PreparationMode.PROGRESSIVE).set(PREPARATION_RUN.STATUS, RunStatus.RUNNING)
                .set(PREPARATION_RUN.TRIGGER_KIND, RunTrigger.UPGRADE).set(PREPARATION_RUN.STARTED_BY, "a")
                .set(PREPARATION_RUN.STARTED_AT, now).set(PREPARATION_RUN.GROUP_COUNT, 0)
                .returning(PREPARATION_RUN.ID).fetchOne().getId();
        assertTrue(run > 0);
        assertEquals(false, dsl.select(PREPARATION_RUN.PUBLISH_ALL_RECOMMENDED).from(PREPARATION_RUN)
                .fetchOne(PREPARATION_RUN.PUBLISH_ALL_RECOMMENDED));
        connection.close();
    }

    /**
     * H2 ties a CHECK (col IN (...)) constraint to the session that created it: once the pool retires
     * the connection that ran the migrations, inserts must still work (they failed with "Check
     * constraint invalid" half an hour after a server started on a new data folder).
     */
    @org.junit.jupiter.api.Test
    void the_database_accepts_runs_after_the_pool_has_renewed_its_connections() {
        try (var database = Database.inMemory("schema-" + UUID.randomUUID())) {
            var dsl = database.dsl();
            var now = OffsetDateTime.now();
            // Touch every pooled connection, then retire them all, as Hikari does after maxLifetime.
            for (int i = 0; i < 3; i++) {
                dsl.fetchCount(PREPARATION_RUN);
            }
            ((com.zaxxer.hikari.HikariDataSource) database.dataSource()).getHikariPoolMXBean().softEvictConnections();
            long run = dsl.insertInto(PREPARATION_RUN)
                    .set(PREPARATION_RUN.FROM_VERSION, "11.16.1").set(PREPARATION_RUN.TO_VERSION, "11.17.0")
                    .set(PREPARATION_RUN.MODE, PreparationMode.PROGRESSIVE).set(PREPARATION_RUN.STATUS, RunStatus.RUNNING)
                    .set(PREPARATION_RUN.TRIGGER_KIND, RunTrigger.UPGRADE).set(PREPARATION_RUN.STARTED_BY, "a")
                    .set(PREPARATION_RUN.STARTED_AT, now).set(PREPARATION_RUN.GROUP_COUNT, 0)
                    .returning(PREPARATION_RUN.ID).fetchOne().getId();
            assertTrue(run > 0);
        }
    }

    @org.junit.jupiter.api.Test
    void the_engines_database_is_migrated_on_open() {
        try (var database = Database.inMemory("schema-" + UUID.randomUUID())) {
            for (var table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
                assertEquals(0, database.dsl().fetchCount(table), table.getName());
            }
        }
    }
}
