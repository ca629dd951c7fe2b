-- Issue 14, L5: access that can end. A disabled user keeps their name and their audit but can no longer
-- sign in, and their sessions, streams and tokens stop working; API tokens expire and can be revoked.
ALTER TABLE app_user ADD COLUMN disabled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_token ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_token ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_token ADD COLUMN revoked_by VARCHAR(100);
-- Tokens made before tokens expired: the default lifetime of a new token, from this upgrade on, so that
-- no script stops working on the day of the upgrade.
UPDATE api_token SET expires_at = CURRENT_TIMESTAMP + INTERVAL '90' DAY;
ALTER TABLE api_token ALTER COLUMN expires_at SET NOT NULL;
