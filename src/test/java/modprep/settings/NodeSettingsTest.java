package modprep.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import modprep.ModprepException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, items 1 and 4: node settings by precedence, each with its source, and every bad one refused in one line. */
class NodeSettingsTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, Given> flags(String... keyFlagValue) {
        var flags = new java.util.HashMap<String, Given>();
        for (int i = 0; i < keyFlagValue.length; i += 3) {
            flags.put(keyFlagValue[i], Given.flag(keyFlagValue[i + 1], keyFlagValue[i + 2]));
        }
        return flags;
    }

    private String refusal(Map<String, Given> flags, Map<String, String> env, Path config) {
        var e = assertThrows(ModprepException.class, () -> NodeSettings.resolve(flags, env, config));
        assertEquals(ModprepException.Kind.BAD_INPUT, e.kind());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default_and_each_value_knows_its_source() throws IOException {
        Path config = file("etc/modprep.properties", "# comment\nport = 7000\nhost: 127.0.0.1\nlog-level=debug\nnode-name=from-file\n");
        var node = NodeSettings.resolve(flags("port", "--port", "9000"),
                Map.of("MODPREP_PORT", "8000", "MODPREP_HOST", "10.0.0.1", "MODPREP_DATA", dir.resolve("d").toString()), config);
        assertEquals(9000, node.port());
        assertEquals("--port", node.value(SettingKeys.PORT).source().toString());
        assertEquals("10.0.0.1", node.host());
        assertEquals("MODPREP_HOST", node.value(SettingKeys.HOST).source().toString());
        assertEquals("debug", node.logLevel());
        assertEquals(config.toAbsolutePath() + ":4", node.value(SettingKeys.LOG_LEVEL).source().toString());
        assertEquals("from-file", node.nodeName());
        assertEquals("text", node.logFormat());
        assertEquals(Source.DEFAULT, node.value(SettingKeys.LOG_FORMAT).source());
        assertEquals(dir.resolve("d"), node.data());
    }

    @Test
    void the_data_folders_own_modprep_properties_is_read_when_no_config_file_is_given() throws IOException {
        file("data/modprep.properties", "port=8181\nadmin-password=s3cret\n");
        var node = NodeSettings.resolve(flags("data", "--data", dir.resolve("data").toString()), Map.of(), null);
        assertEquals(8181, node.port());
        assertEquals("s3cret", node.adminPassword().orElseThrow());
        assertEquals("****", node.value(SettingKeys.ADMIN_PASSWORD).shown(), "a secret is masked wherever it is shown");
        assertEquals(dir.resolve("data/modprep.properties"), node.file().orElseThrow());
    }

    @Test
    void the_existing_variables_keep_their_meaning_MODPREP_DEBUG_1_is_on_and_the_admin_password_is_a_secret() {
        var node = NodeSettings.resolve(Map.of(), Map.of("MODPREP_DEBUG", "1", "MODPREP_ADMIN_PASSWORD", "pw"), null);
        assertTrue(node.debug());
        assertEquals("pw", node.adminPassword().orElseThrow());
        assertEquals(8080, node.port());
        assertEquals("0.0.0.0", node.host());
        assertEquals(Path.of("data"), node.data());
    }

    @Test
    void a_password_inside_a_database_url_is_refused_and_masked_in_the_refusal() throws IOException {
        String refusal = refusal(Map.of(), Map.of("MODPREP_DATABASE_URL", "jdbc:postgresql://db/modprep?user=m&password=hunter2"), null);
        assertTrue(refusal.startsWith("bad setting database-url (from MODPREP_DATABASE_URL): "
                + "'jdbc:postgresql://db/modprep?user=m&password=****' is refused: the URL holds a password"), refusal);
        assertFalse(refusal.contains("hunter2"), refusal);
    }

    @Test
    void each_bad_setting_is_refused_in_one_line_naming_the_setting_its_source_and_what_is_allowed() throws IOException {
        assertEquals("bad setting port (from MODPREP_PORT): 'eighty' is not a whole number; allowed: a whole number from 0 to 65535",
                refusal(Map.of(), Map.of("MODPREP_PORT", "eighty"), null));
        assertEquals("bad setting port (from --port): '70000' is out of range; allowed: a whole number from 0 to 65535",
                refusal(flags("port", "--port", "70000"), Map.of(), null));
        assertEquals("bad setting log-level (from MODPREP_LOG_LEVEL): 'loud' is not allowed; allowed: one of error, warn, info, debug, trace",
                refusal(Map.of(), Map.of("MODPREP_LOG_LEVEL", "loud"), null));
        assertEquals("bad setting log-format (from --log-format): 'xml' is not allowed; allowed: one of text, json",
                refusal(flags("log-format", "--log-format", "xml"), Map.of(), null));
        assertEquals("bad setting host (from --host): 'example.org' is not an IP address; allowed: an IP address (0.0.0.0 for all, "
                + "127.0.0.1, ::1)", refusal(flags("host", "--host", "example.org"), Map.of(), null));
        assertEquals("bad setting debug (from MODPREP_DEBUG): 'maybe' is not true or false; allowed: true or false",
                refusal(Map.of(), Map.of("MODPREP_DEBUG", "maybe"), null));
        assertEquals("bad setting database-url (from MODPREP_DATABASE_URL): 'mysql://x' is refused: a PostgreSQL URL was expected, such "
                + "as postgresql://host:5432/modprep?user=modprep, not a 'mysql:' one; allowed: a PostgreSQL URL without a password: "
                + "postgresql://host:5432/modprep?user=modprep (or jdbc:postgresql://…)", refusal(Map.of(),
                Map.of("MODPREP_DATABASE_URL", "mysql://x"), null));
        assertEquals("bad setting tls-keystore (from --tls-keystore): 'nowhere.p12' is not a readable file; allowed: the path of a "
                + "readable file", refusal(flags("tls-keystore", "--tls-keystore", "nowhere.p12"), Map.of(), null));
        assertEquals("bad setting admin-password (from MODPREP_ADMIN_PASSWORD): '****' is empty; allowed: any text of up to 200 "
                + "characters", refusal(Map.of(), Map.of("MODPREP_ADMIN_PASSWORD", ""), null), "a secret is not shown even when refused");
    }

    @Test
    void an_unknown_setting_is_refused_in_the_file_with_its_line_and_in_a_MODPREP_variable() throws IOException {
        Path config = file("modprep.properties", "port=8080\n\nprot=8081\n");
        String inFile = refusal(Map.of(), Map.of(), config);
        assertTrue(inFile.startsWith("unknown setting 'prot' (from " + config.toAbsolutePath() + ":3); known node settings: port, host,"),
                inFile);
        String inEnv = refusal(Map.of(), Map.of("MODPREP_GROUP_SIZE", "5"), null);
        assertTrue(inEnv.startsWith("unknown setting in environment variable MODPREP_GROUP_SIZE; known: MODPREP_PORT, MODPREP_HOST"), inEnv);
        assertTrue(inEnv.endsWith("(installation settings are changed with `modprep settings set`)"), inEnv);
    }

    @Test
    void a_bad_value_in_the_file_names_its_line_and_a_line_that_is_not_a_setting_is_refused_too() throws IOException {
        Path config = file("modprep.properties", "# node\nport = 0x50\n");
        assertEquals("bad setting port (from " + config.toAbsolutePath() + ":2): '0x50' is not a whole number; allowed: a whole number "
                + "from 0 to 65535", refusal(Map.of(), Map.of(), config));
        Path garbled = file("garbled.properties", "port 8080\n");
        assertEquals("the settings file line " + garbled.toAbsolutePath() + ":1 is not 'name = value'; allowed: name = value, "
                + "# comments and blank lines", refusal(Map.of(), Map.of(), garbled));
        Path twice = file("twice.properties", "port=1\nport=2\n");
        assertEquals("setting port is set twice in the settings file (" + twice.toAbsolutePath() + ":1 and line 2); allowed: once",
                refusal(Map.of(), Map.of(), twice));
    }

    @Test
    void an_unreadable_settings_file_is_refused_naming_the_file_and_how_it_was_given() throws IOException {
        Path missing = dir.resolve("missing.properties");
        assertEquals("the settings file " + missing + " (--config) cannot be read: there is no such file; allowed: a readable file "
                + "of name = value lines", refusal(Map.of(), Map.of(), missing));
        Path latin = dir.resolve("latin.properties");
        Files.write(latin, "node-name=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("the settings file " + latin + " (--config) cannot be read: it is not UTF-8 text; allowed: a UTF-8 file of "
                + "name = value lines", refusal(Map.of(), Map.of(), latin));
        Path folder = Files.createDirectories(dir.resolve("folder.properties"));
        assertTrue(refusal(Map.of(), Map.of(), folder).startsWith("the settings file " + folder + " (--config) cannot be read: "));
    }

    @Test
    void the_data_folder_cannot_be_moved_by_its_own_settings_file() throws IOException {
        file("data/modprep.properties", "data=/elsewhere\n");
        assertTrue(refusal(flags("data", "--data", dir.resolve("data").toString()), Map.of(), null)
                .startsWith("setting data cannot be set in the data folder's own settings file ("));
    }

    @Test
    void a_keystore_without_its_password_or_with_a_wrong_one_is_refused_before_start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        var store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var out = Files.newOutputStream(keystore)) {
            store.store(out, "right".toCharArray());
        }
        var without = NodeSettings.resolve(flags("tls-keystore", "--tls-keystore", keystore.toString()), Map.of(), null);
        var missing = assertThrows(ModprepException.class, without::checkTls);
        assertTrue(missing.getMessage().startsWith("setting tls-keystore-password is missing (tls-keystore is set, from --tls-keystore)"),
                missing.getMessage());
        var wrong = NodeSettings.resolve(flags("tls-keystore", "--tls-keystore", keystore.toString()),
                Map.of("MODPREP_TLS_KEYSTORE_PASSWORD", "wrong"), null);
        var refused = assertThrows(ModprepException.class, wrong::checkTls);
        assertTrue(refused.getMessage().startsWith("bad setting tls-keystore (from --tls-keystore): " + keystore
                + " cannot be opened with tls-keystore-password (from MODPREP_TLS_KEYSTORE_PASSWORD)"), refused.getMessage());
        NodeSettings.resolve(flags("tls-keystore", "--tls-keystore", keystore.toString()),
                Map.of("MODPREP_TLS_KEYSTORE_PASSWORD", "right"), null).checkTls();
    }

    @Test
    void a_port_in_use_is_refused_naming_the_port_setting_and_its_source() throws IOException {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            var node = NodeSettings.resolve(flags("port", "--port", String.valueOf(taken.getLocalPort()), "host", "--host", "127.0.0.1"),
                    Map.of(), null);
            var e = assertThrows(ModprepException.class, node::checkListen);
            assertEquals("bad setting port (from --port): '" + taken.getLocalPort() + "' is in use on 127.0.0.1 (another modprep or "
                    + "program listens there); allowed: a free port, or 0 to pick one", e.getMessage());
        }
    }
}
