package modprep.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import modprep.environment.PublishState;
import modprep.readmodel.Board;
import modprep.readmodel.ModuleReport;
import modprep.status.VersionStatus;

/** Modules as lists show them (Modules, an application, producers and consumers, the API), from a board. */
final class ModuleRows {
    private ModuleRows() {
    }

    /** A module's row, with its name and application lower-cased once for searching. */
    private record Indexed(ModuleRow row, String name, String application) {
    }

    /**
     * Modules matching a search and a status filter, by name; for one application when given. Every
     * module's row is made and sorted once per board; a request only filters them.
     */
    static List<ModuleRow> of(Board current, String q, String status, String application) {
        List<Indexed> all = current.memo("module-rows", () -> {
            var rows = new ArrayList<Indexed>(current.snapshot().modules().size());
            for (var module : current.snapshot().modules().values()) {
                var row = row(module.name(), module.application(), module.published(), current.statuses().get(module.name()),
                        module.runningVersion());
                rows.add(new Indexed(row, module.name().toLowerCase(Locale.ROOT), module.application().toLowerCase(Locale.ROOT)));
            }
            rows.sort(Comparator.comparing(r -> r.row().name()));
            return List.copyOf(rows);
        });
        String needle = q == null ? "" : q.toLowerCase(Locale.ROOT);
        boolean anyStatus = status == null || status.isEmpty();
        if (needle.isEmpty() && anyStatus && application == null) {
            return current.memo("module-rows-all", () -> all.stream().map(Indexed::row).toList());
        }
        var rows = new ArrayList<ModuleRow>();
        for (var r : all) {
            boolean found = needle.isEmpty() || r.name().contains(needle) || r.application().contains(needle);
            if (found && (anyStatus || status.equals(r.row().filter())) && (application == null || application.equals(r.row().application()))) {
                rows.add(r.row());
            }
        }
        return rows;
    }

    /** A module's producers or consumers, with their statuses from the board. */
    static List<ModuleRow> neighbours(List<ModuleReport.Neighbour> names, Board current) {
        return names.stream().map(n -> {
            var m = current.snapshot().module(n.name());
            return row(n.name(), m.application(), m.published(), current.statuses().get(n.name()), m.runningVersion());
        }).toList();
    }

    static ModuleRow row(String name, String application, boolean published, VersionStatus s, String running) {
        return new ModuleRow(name, application, PublishState.of(published), s.code(), s.label(), s.badge(), s.status().filter(), running);
    }
}
