package modprep.web;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ConsoleSessionsTest} on PostgreSQL: the same table, written and read by Jetty there. */
@ExtendWith(OnPostgreSQL.class)
class ConsoleSessionsOnPostgreSQLTest extends ConsoleSessionsTest {
}
