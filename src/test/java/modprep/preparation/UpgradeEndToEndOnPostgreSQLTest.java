package modprep.preparation;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link UpgradeEndToEndTest} on PostgreSQL: an upgrade from import to the end of its run. */
@ExtendWith(OnPostgreSQL.class)
class UpgradeEndToEndOnPostgreSQLTest extends UpgradeEndToEndTest {
}
