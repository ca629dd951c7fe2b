package modprep.access;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link FirstAdministratorTest} on PostgreSQL: nodes starting at once on one server's database. */
@ExtendWith(OnPostgreSQL.class)
class FirstAdministratorOnPostgreSQLTest extends FirstAdministratorTest {
}
