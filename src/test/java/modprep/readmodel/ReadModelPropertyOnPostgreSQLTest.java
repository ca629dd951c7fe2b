package modprep.readmodel;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ReadModelPropertyTest} on PostgreSQL: random histories, fewer cases than on H2 (-Dmodprep.property.cases still sets them). */
@ExtendWith(OnPostgreSQL.class)
class ReadModelPropertyOnPostgreSQLTest extends ReadModelPropertyTest {
}
