package modprep.web;

import java.util.LinkedHashMap;
import java.util.Map;
import modprep.preparation.ModuleReport;

/** Short words and colours for a module's status, the same on every page and in live updates. */
final class StatusLabels {
    /** The filter choices of the Modules page, in order. */
    static final Map<String, String> FILTERS = filters();

    private StatusLabels() {
    }

    static String label(ModuleReport.Status status) {
        return switch (status.code()) {
            case "running" -> "running on " + status.version();
            case "prepared" -> "prepared";
            case "pending" -> "in group " + status.group();
            case "preparing" -> "preparing";
            case "failed" -> "failed";
            case "blocked" -> "blocked by " + status.blockedBy();
            case "publish-required" -> "publish required";
            case "uploaded" -> "uploaded only";
            default -> "not prepared";
        };
    }

    static String badge(String code) {
        return switch (code) {
            case "running" -> "text-bg-success";
            case "prepared" -> "text-bg-primary";
            case "pending" -> "text-bg-secondary";
            case "preparing" -> "text-bg-info";
            case "failed" -> "text-bg-danger";
            case "blocked", "publish-required" -> "text-bg-warning";
            case "uploaded" -> "text-bg-light border";
            default -> "text-bg-dark";
        };
    }

    private static Map<String, String> filters() {
        var filters = new LinkedHashMap<String, String>();
        filters.put("", "All statuses");
        filters.put("running", "Running on the current version");
        filters.put("prepared", "Prepared, publish to use");
        filters.put("in-progress", "Waiting or being prepared");
        filters.put("failed", "Failed");
        filters.put("blocked", "Blocked");
        filters.put("not-prepared", "Not prepared");
        filters.put("publish-required", "Publish required");
        filters.put("uploaded", "Uploaded only");
        return filters;
    }

    static boolean matches(String filter, String code) {
        if (filter == null || filter.isEmpty()) {
            return true;
        }
        if (filter.equals("in-progress")) {
            return code.equals("pending") || code.equals("preparing");
        }
        return filter.equals(code);
    }
}
