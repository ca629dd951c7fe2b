package modprep.db;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import modprep.ModprepException;

/**
 * A PostgreSQL server to keep the installation's database on, instead of H2 in the data folder: the node
 * setting {@code database-url} ({@code --database URL}, {@code MODPREP_DATABASE_URL}, modprep.properties).
 * The password comes only from {@code database-password} ({@code MODPREP_DATABASE_PASSWORD}) or the file
 * {@code database-password-file} names: a command line is visible to every user of the host ({@code ps}),
 * so a URL holding one is refused. Nothing this
 * class says or shows (messages, {@link #toString()}) holds the password.
 */
public final class DatabaseLocation {
    public static final String URL_VARIABLE = "MODPREP_DATABASE_URL";
    public static final String PASSWORD_VARIABLE = "MODPREP_DATABASE_PASSWORD";
    public static final String PASSWORD_FILE_VARIABLE = "MODPREP_DATABASE_PASSWORD_FILE";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String shown;

    private DatabaseLocation(String jdbcUrl, String user, String password, String shown) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.shown = shown;
    }

    /**
     * {@code postgresql://host:5432/modprep?user=modprep} or the same as a {@code jdbc:postgresql:} URL;
     * further parameters (sslmode=…) go to the driver as they are.
     */
    public static DatabaseLocation parse(String url, String password) {
        String bare = url.startsWith("jdbc:") ? url.substring(5) : url;
        int colon = bare.indexOf(':');
        String scheme = colon < 0 ? "" : bare.substring(0, colon);
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw ModprepException.badInput("--database: a PostgreSQL URL was expected, such as "
                    + "postgresql://host:5432/modprep?user=modprep" + (scheme.isEmpty() ? "" : ", not a '" + scheme + ":' one"));
        }
        URI uri;
        try {
            uri = new URI("postgresql" + bare.substring(colon));
        } catch (URISyntaxException e) {
            throw ModprepException.badInput("--database: not a URL (" + e.getReason() + "); expected postgresql://host:5432/modprep?user=modprep");
        }
        var parameters = parameters(uri.getRawQuery());
        String userInfo = uri.getRawUserInfo();
        if (parameters.containsKey("password") || (userInfo != null && userInfo.contains(":"))) {
            throw ModprepException.badInput("--database: the URL holds a password, which would show in the process list; "
                    + "give it in " + PASSWORD_VARIABLE + " or in a file named by " + PASSWORD_FILE_VARIABLE + " instead");
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw ModprepException.badInput("--database: the URL must name a host and a database, as in postgresql://host:5432/modprep?user=modprep");
        }
        String user = parameters.remove("user");
        if (user == null && userInfo != null) {
            user = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        }
        String database = uri.getPath().substring(1);
        String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        var query = new StringBuilder();
        parameters.forEach((k, v) -> query.append(query.isEmpty() ? "?" : "&").append(k).append('=').append(v));
        String jdbcUrl = "jdbc:postgresql://" + hostPort + "/" + database + query;
        return new DatabaseLocation(jdbcUrl, user, password, "postgresql://" + hostPort + "/" + database
                + (user == null ? "" : " as " + user));
    }

    private static Map<String, String> parameters(String rawQuery) {
        var result = new LinkedHashMap<String, String>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            result.put(key, key.equals("user") ? URLDecoder.decode(value, StandardCharsets.UTF_8) : value);
        }
        return result;
    }

    /** The first line of a password file. */
    public static String passwordIn(Path file) {
        try {
            return Files.readString(file).lines().findFirst().orElse("");
        } catch (IOException e) {
            throw ModprepException.badInput("database-password-file: cannot read the password file " + file + " ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()) + ")");
        }
    }

    /** The driver's URL: never holds the password. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** Where, for messages: host, port, database and user, never the password. */
    @Override
    public String toString() {
        return shown;
    }
}
