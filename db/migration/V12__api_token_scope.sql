-- What an API token may reach: the JSON API as its user ('api', every token made before), or only
-- GET /metrics ('metrics': a monitoring system's scraper, which must not read or change anything else).
-- CASE, not IN (…): H2 2.4.240 breaks IN-list checks once the session that created them closes.
ALTER TABLE api_token ADD COLUMN scope VARCHAR(20) DEFAULT 'api' NOT NULL;
ALTER TABLE api_token ADD CONSTRAINT api_token_scope
  CHECK (CASE scope WHEN 'api' THEN TRUE WHEN 'metrics' THEN TRUE ELSE FALSE END);
