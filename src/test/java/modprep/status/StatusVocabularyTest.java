package modprep.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import modprep.access.AuditOutcome;
import modprep.access.Role;
import modprep.db.Database;
import modprep.preparation.WorkerKind;
import org.junit.jupiter.api.Test;

/** The stored vocabulary: each column's CHECK constraint allows exactly its enum's codes, no more, no fewer. */
class StatusVocabularyTest {
    /** Every CHECK constraint over codes, and the codes its enum has. */
    private static final Map<String, Set<String>> CODES = Map.ofEntries(
            Map.entry("notification_event_type", codes(EventType.values())),
            Map.entry("notification_delivery_status", codes(DeliveryStatus.values())),
            Map.entry("compile_batch_status", codes(BatchStatus.values())),
            Map.entry("deployment_status", codes(RunStatus.values())),
            Map.entry("deployment_group_status", codes(GroupStatus.values())),
            Map.entry("deployment_module_status", codes(DeployStatus.values())),
            Map.entry("run_in_progress_kind", codes(RunKind.values())),
            Map.entry("run_status", codes(RunStatus.values())),
            Map.entry("run_mode", codes(PreparationMode.values())),
            Map.entry("run_trigger", codes(RunTrigger.values())),
            Map.entry("run_group_status", codes(GroupStatus.values())),
            Map.entry("run_module_status", codes(ModuleStatus.IN_RUN.toArray(ModuleStatus[]::new))),
            Map.entry("module_build_origin", codes(BuildOrigin.values())),
            Map.entry("audit_outcome", codes(AuditOutcome.values())),
            Map.entry("worker_process_kind", codes(WorkerKind.values())),
            Map.entry("worker_process_activity", codes(modprep.status.NodeActivity.values())),
            Map.entry("app_user_role", Arrays.stream(Role.values()).map(Role::id).collect(Collectors.toCollection(TreeSet::new))),
            Map.entry("api_token_scope", Arrays.stream(modprep.access.TokenScope.values()).map(modprep.access.TokenScope::id)
                    .collect(Collectors.toCollection(TreeSet::new))));

    private static Set<String> codes(Coded... values) {
        return Arrays.stream(values).map(Coded::code).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * A status is told by its enum, never by a quoted code: Java outside the enums that define codes, and
     * templates, name none (migrations are exempt: they are the stored side of the enums).
     */
    @Test
    void no_status_code_is_written_as_a_literal_outside_its_enum() throws IOException {
        var statuses = new TreeSet<String>();
        for (Coded[] values : List.<Coded[]>of(ModuleStatus.values(), RunStatus.values(), GroupStatus.values(), StepStatus.values(),
                AuditOutcome.values(), DeployStatus.values())) {
            statuses.addAll(codes(values));
        }
        var found = new ArrayList<String>();
        var defines = Pattern.compile("enum \\w+ implements [\\w, ]*\\b(Coded|Worded)\\b");
        scan(Path.of("src/main/java"), ".java", Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\""), defines, statuses, found);
        scan(Path.of("templates"), ".html", Pattern.compile("'([^']*)'"), null, statuses, found);
        scan(Path.of("templates"), ".html", Pattern.compile("\"([^\"]*)\""), null, statuses, found);
        assertEquals(List.of(), found, "status codes written as literals: use the enum (modprep.status) or its properties");
    }

    private static void scan(Path root, String suffix, Pattern literal, Pattern exempt, Set<String> codes, List<String> found)
            throws IOException {
        try (var files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                String text = Files.readString(file);
                if (exempt != null && exempt.matcher(text).find()) {
                    continue;
                }
                var lines = text.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    var matcher = literal.matcher(lines[i]);
                    while (matcher.find()) {
                        if (codes.contains(matcher.group(1))) {
                            found.add(file + ":" + (i + 1) + ": " + lines[i].strip());
                        }
                    }
                }
            }
        }
    }

    @Test
    void each_check_constraint_allows_exactly_the_codes_of_its_enum() {
        var literal = Pattern.compile("WHEN '([^']*)'");
        var checked = new HashMap<String, Set<String>>();
        try (var database = Database.inMemory("vocabulary-" + UUID.randomUUID())) {
            database.dsl().resultQuery("SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM INFORMATION_SCHEMA.CHECK_CONSTRAINTS").fetch()
                    .forEach(r -> {
                        var values = literal.matcher(r.get(1, String.class)).results().map(m -> m.group(1))
                                .collect(Collectors.toCollection(TreeSet::new));
                        if (!values.isEmpty()) {
                            checked.put(r.get(0, String.class).toLowerCase(), values);
                        }
                    });
        }
        assertEquals(CODES.keySet(), checked.keySet(), "every CHECK over codes has its enum here, and every enum its CHECK");
        CODES.forEach((constraint, codes) -> assertEquals(codes, checked.get(constraint), constraint));
    }
}
