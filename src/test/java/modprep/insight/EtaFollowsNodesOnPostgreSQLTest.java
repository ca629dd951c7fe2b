package modprep.insight;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EtaFollowsNodesTest} on PostgreSQL: the nodes counted on the database's clock there too. */
@ExtendWith(OnPostgreSQL.class)
class EtaFollowsNodesOnPostgreSQLTest extends EtaFollowsNodesTest {
}
