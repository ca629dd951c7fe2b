-- Issue 11: console sessions kept in the database, so that any node of an installation serves any
-- request and a restart signs nobody out. Jetty's JDBCSessionDataStore reads and writes these rows
-- (web.ConsoleSessions names the columns); Flyway creates them, Jetty never creates or alters them.
-- A row exists only for a signed-in user (a successful sign-in) and goes at sign-out or expiry.
-- Times are Jetty's: milliseconds since 1970 on the node's clock; max_interval is in milliseconds.
CREATE TABLE console_session (
  session_id       VARCHAR(120) NOT NULL,
  context_path     VARCHAR(60)  NOT NULL,
  virtual_host     VARCHAR(60)  NOT NULL,
  last_node        VARCHAR(60),
  access_time      BIGINT NOT NULL,
  last_access_time BIGINT NOT NULL,
  create_time      BIGINT NOT NULL,
  cookie_time      BIGINT NOT NULL,
  last_saved_time  BIGINT NOT NULL,
  expiry_time      BIGINT NOT NULL,
  max_interval     BIGINT NOT NULL,
  attributes       BYTEA,
  PRIMARY KEY (session_id, context_path, virtual_host)
);
-- The scavenger looks for expired sessions by their expiry.
CREATE INDEX console_session_expiry ON console_session (expiry_time);

-- The installation's key that signs the sign-in form's token (web.SignInTokens): one for every node,
-- so that a form one node showed is accepted by another, and after a restart. Made by the first
-- console that starts; never shown.
CREATE TABLE console_key (
  name       VARCHAR(40) PRIMARY KEY,
  key_value  VARCHAR(100) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
