package modprep.environment;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PublishTest} on PostgreSQL: publishing, with its row locks and compilations. */
@ExtendWith(OnPostgreSQL.class)
class PublishOnPostgreSQLTest extends PublishTest {
}
