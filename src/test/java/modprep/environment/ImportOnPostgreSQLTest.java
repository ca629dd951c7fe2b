package modprep.environment;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ImportTest} on PostgreSQL: importing environments, their code and compilations (BYTEA blobs). */
@ExtendWith(OnPostgreSQL.class)
class ImportOnPostgreSQLTest extends ImportTest {
}
