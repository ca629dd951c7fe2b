package modprep.web;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link NewerNodeTest} on PostgreSQL: Flyway's history read by the heartbeat there too. */
@ExtendWith(OnPostgreSQL.class)
class NewerNodeOnPostgreSQLTest extends NewerNodeTest {
}
