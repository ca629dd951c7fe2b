-- Installation settings: shared by every node of the installation (modprep settings, the Settings page).
-- One row per setting changed from its default; a setting with no row has its default (SettingKeys).
-- Group size and progressive preparation stay in environment (group_size, progressive_enabled): one home each.
CREATE TABLE installation_setting (
  name          VARCHAR(60) PRIMARY KEY,
  setting_value VARCHAR(4000) NOT NULL,
  changed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  changed_by    VARCHAR(100) NOT NULL
);
