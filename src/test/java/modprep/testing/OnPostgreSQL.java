package modprep.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class on PostgreSQL instead of H2: while the class runs, every modprep the tests make
 * ({@link TestEnvironment#newModprep()}) has a fresh database of the JVM's {@link PostgresCluster}. A test
 * class runs on both by a subclass: {@code @ExtendWith(OnPostgreSQL.class) class ResumeOnPostgreSQLTest
 * extends ResumeTest {}} (.ci/run counts the reports of the classes named *OnPostgreSQL*).
 */
public final class OnPostgreSQL implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private static volatile boolean active;

    @Override
    public void beforeAll(ExtensionContext context) {
        PostgresCluster.get(); // fails (or, with -Dmodprep.postgres=skip, skips) the class here, once
        active = true;
    }

    /** Each test's databases are dropped after it: the cluster's disk stays small. */
    @Override
    public void afterEach(ExtensionContext context) {
        PostgresCluster.get().dropCreated();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        PostgresCluster.get().dropCreated();
        active = false;
    }

    /** A fresh database of the dialect the running test class is on. */
    public static modprep.db.Database freshDatabase() {
        return active ? PostgresCluster.get().freshDatabase() : modprep.db.Database.inMemory("test-" + java.util.UUID.randomUUID());
    }

    public static boolean active() {
        return active;
    }
}
