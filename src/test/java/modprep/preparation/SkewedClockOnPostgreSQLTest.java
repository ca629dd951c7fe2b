package modprep.preparation;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link SkewedClockTest} on PostgreSQL: leases on the server's clock, with its interval arithmetic. */
@ExtendWith(OnPostgreSQL.class)
class SkewedClockOnPostgreSQLTest extends SkewedClockTest {
}
