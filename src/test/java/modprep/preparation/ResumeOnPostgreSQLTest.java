package modprep.preparation;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ResumeTest} on PostgreSQL: a killed group redone, leases taken over with FOR UPDATE SKIP LOCKED. */
@ExtendWith(OnPostgreSQL.class)
class ResumeOnPostgreSQLTest extends ResumeTest {
}
