package modprep.web;

import static modprep.db.schema.Tables.CONSOLE_SESSION;

import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;
import modprep.db.Database;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.HouseKeeper;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.SessionData;
import org.jooq.DSLContext;

/**
 * Console sessions kept in the database (the table console_session, made by Flyway), so that any node
 * of an installation serves any request and a restart signs nobody out. A row is written only for a
 * session that exists, and only a successful sign-in makes one (see {@link SignInController}).
 *
 * <p>No session is kept in memory beyond the request that read it (a {@link NullSessionCache}): each
 * request reads its row (one read by primary key), so a sign-out or a change made through another node
 * is seen at once. A cache that skipped that read would serve a session another node had since signed
 * out or changed, and a page's live-update stream, open for as long as the page, would hold its session
 * in such a cache the whole time. A row is written when the session changed, before the response leaves
 * (the redirect after a sign-in may reach another node), and otherwise at most once per
 * {@link #SAVE_PERIOD_SECONDS} to move its expiry on: a page view costs no write.
 */
final class ConsoleSessions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleSessions.class);
    static final String COOKIE = "modprep_session";
    /** Signed out after this long without a request. */
    static final int IDLE_SECONDS = 30 * 60;
    /** An unchanged session's row is written at most this often; its stored expiry lags by at most this. */
    static final int SAVE_PERIOD_SECONDS = 60;
    /** How often each node removes the rows of expired sessions. */
    static final long SCAVENGE_SECONDS = 60;
    /** The same worker name on every node: a session id (and its cookie) is the same whichever node serves it. */
    private static final String WORKER = "modprep";

    private ConsoleSessions() {
    }

    /** The console context's sessions: the cookie's flags, and the database behind them. */
    static void configure(SessionHandler sessions, DataSource dataSource) {
        // Session cookies: not readable by scripts, never sent by other sites, gone after 30 idle minutes.
        sessions.setHttpOnly(true);
        sessions.setSameSite(HttpCookie.SameSite.STRICT);
        sessions.setMaxInactiveInterval(IDLE_SECONDS);
        sessions.setSessionCookie(COOKIE);
        sessions.setSecureRequestOnly(true); // Secure whenever the request came over HTTPS (directly or through a trusted proxy)

        var adaptor = new DatabaseAdaptor();
        adaptor.setDatasource(dataSource);
        var store = new Store();
        store.setDatabaseAdaptor(adaptor);
        store.setSessionTableSchema(new Table(dataSource));
        store.setSavePeriodSec(SAVE_PERIOD_SECONDS);

        var cache = new NullSessionCache(sessions);
        cache.setSaveOnCreate(false); // a session is written once its sign-in's request set it up
        cache.setFlushOnResponseCommit(true);
        cache.setInvalidateOnShutdown(false); // a restart signs nobody out
        // A row this modprep cannot read (written by another release's classes): signed out, not an error page.
        cache.setRemoveUnloadableSessions(true);
        cache.setSessionDataStore(store);
        sessions.setSessionCache(cache);
    }

    /** A session's id from its cookie's value, which ends in "." and the worker's name. */
    static String idOf(String cookieValue) {
        int dot = cookieValue.lastIndexOf('.');
        return dot > 0 ? cookieValue.substring(0, dot) : cookieValue;
    }

    /** Of these session ids, those stored: signed in, on whichever node. One query. */
    static Set<String> stored(DSLContext dsl, Set<String> ids) {
        return ids.isEmpty() ? Set.of()
                : dsl.select(CONSOLE_SESSION.SESSION_ID).from(CONSOLE_SESSION).where(CONSOLE_SESSION.SESSION_ID.in(ids)).fetchSet(CONSOLE_SESSION.SESSION_ID);
    }

    /** The server's session ids, and the scavenger that removes expired sessions' rows. */
    static void scavenge(Server server) {
        var ids = new DefaultSessionIdManager(server);
        ids.setWorkerName(WORKER);
        var keeper = new HouseKeeper();
        keeper.setSessionIdManager(ids);
        try {
            keeper.setIntervalSec(SCAVENGE_SECONDS);
        } catch (Exception e) { // only when already started, which it is not
            throw new IllegalStateException(e);
        }
        ids.setSessionHouseKeeper(keeper);
        server.addBean(ids, true);
    }

    /**
     * Jetty's store, but a session that cannot be read because the database failed (down, or no connection
     * free in time) is absent for this request, not an error: Jetty would end such a session everywhere,
     * deleting its row as soon as the database answered again, and sign its user out for a hiccup.
     */
    private static final class Store extends JDBCSessionDataStore {
        @Override
        public SessionData doLoad(String id) throws Exception {
            try {
                return super.doLoad(id);
            } catch (SQLException e) {
                if (Database.connectionLost(e)) { // an outage is told once, where it is found, not per request
                    LOG.debug("a console session could not be read, this request goes on without it: {}", e.getMessage());
                } else {
                    LOG.warn("a console session could not be read, this request goes on without it: {}", e.getMessage());
                }
                return null;
            }
        }
    }

    /**
     * The table's and columns' names as V21__sessions.sql makes them. Jetty would create the table, or
     * add a column or an index, if it missed them: here it only learns which database it is on.
     */
    private static final class Table extends JDBCSessionDataStore.SessionTableSchema {
        private final DataSource dataSource;

        Table(DataSource dataSource) {
            this.dataSource = dataSource;
            setTableName("console_session");
            setIdColumn("session_id");
            setContextPathColumn("context_path");
            setVirtualHostColumn("virtual_host");
            setLastNodeColumn("last_node");
            setAccessTimeColumn("access_time");
            setLastAccessTimeColumn("last_access_time");
            setCreateTimeColumn("create_time");
            setCookieTimeColumn("cookie_time");
            setLastSavedTimeColumn("last_saved_time");
            setExpiryTimeColumn("expiry_time");
            setMaxIntervalColumn("max_interval");
            setMapColumn("attributes");
        }

        @Override
        public void prepareTables() throws SQLException {
            try (var connection = dataSource.getConnection()) {
                _dbAdaptor.adaptTo(connection.getMetaData()); // how to read the attributes' bytes on this database
            }
        }
    }
}
