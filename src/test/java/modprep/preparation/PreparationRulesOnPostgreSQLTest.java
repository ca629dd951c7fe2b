package modprep.preparation;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PreparationRulesTest} on PostgreSQL: the rules of a run (groups, failures, blocking, counts) with PostgreSQL's locking. */
@ExtendWith(OnPostgreSQL.class)
class PreparationRulesOnPostgreSQLTest extends PreparationRulesTest {
}
