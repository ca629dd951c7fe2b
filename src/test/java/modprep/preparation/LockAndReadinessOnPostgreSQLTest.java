package modprep.preparation;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link LockAndReadinessTest} on PostgreSQL: locks (P7) and readiness (P8), each refusal leaving every row as it was. */
@ExtendWith(OnPostgreSQL.class)
class LockAndReadinessOnPostgreSQLTest extends LockAndReadinessTest {
}
