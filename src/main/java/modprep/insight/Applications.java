package modprep.insight;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import modprep.readmodel.Board;

/**
 * I2 for applications: when each can be published (U7: none of its modules still waiting for the
 * version), and what its team can publish now: its modules that P8 lets through and that do not run the
 * version yet.
 */
public final class Applications {
    /** Modules named in "can publish now"; the count is whole. */
    static final int NAMED = 5;

    private Applications() {
    }

    /** An application's modules waiting for the version, when it can be published, what can be now. */
    public record Row(String application, List<String> waiting, Publishability publishable, int publishableNow,
                      List<String> publishableNowNamed) {
        /** "Auth_Core, Auth_UI and 3 more", or "nothing" when none. */
        public String canPublishNow() {
            if (publishableNow == 0) {
                return "nothing yet";
            }
            String names = String.join(", ", publishableNowNamed);
            return publishableNow > publishableNowNamed.size() ? names + " and " + (publishableNow - publishableNowNamed.size()) + " more" : names;
        }
    }

    static Map<String, Row> of(Board current, Eta eta) {
        var byApplication = new TreeMap<String, List<String>>();
        current.snapshot().modules().values().forEach(m -> byApplication.computeIfAbsent(m.application(), k -> new ArrayList<>()).add(m.name()));
        var statuses = current.statuses();
        var rows = new LinkedHashMap<String, Row>();
        byApplication.forEach((application, names) -> {
            names.sort(null);
            var waiting = names.stream().filter(n -> !statuses.get(n).status().publishable()).toList();
            var now = new ArrayList<String>();
            for (String name : names) {
                var module = current.snapshot().module(name);
                if (module.published() && statuses.get(name).status() != modprep.status.ModuleStatus.RUNNING
                        && Publishability.ofModule(module.publishedProducers(), statuses, Insights.lockedUntil(current, name), null).now()) {
                    now.add(name);
                }
            }
            rows.put(application, new Row(application, waiting, Publishability.ofApplication(waiting, statuses, eta), now.size(),
                    now.stream().limit(NAMED).toList()));
        });
        return rows;
    }
}
