package modprep.access;

import java.util.Locale;

/** What an API token may reach: the JSON API as its user, or only the metrics a monitoring system scrapes. */
public enum TokenScope {
    API, METRICS;

    /** As stored (api_token.scope). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenScope of(String id) {
        for (var scope : values()) {
            if (scope.id().equals(id)) {
                return scope;
            }
        }
        throw modprep.ModprepException.badInput("unknown token scope '" + id + "': it is api or metrics");
    }
}
