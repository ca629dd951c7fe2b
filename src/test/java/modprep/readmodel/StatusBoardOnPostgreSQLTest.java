package modprep.readmodel;

import modprep.testing.OnPostgreSQL;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link StatusBoardTest} on PostgreSQL: the status board read and brought up to date. */
@ExtendWith(OnPostgreSQL.class)
class StatusBoardOnPostgreSQLTest extends StatusBoardTest {
}
