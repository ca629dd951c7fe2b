package modprep.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * I7: what replaces a platform API that a version removed, told beside javac's "cannot find symbol".
 * The removals are data beside each version's system components ({@code system-components/<v>/removed.properties}):
 * a target version's hints are the removals of every known version up to it.
 */
public final class FixHints {
    private static final Pattern SYMBOL = Pattern.compile("symbol:\\s+(?:method|variable|class)\\s+(\\w+)");
    private static final Pattern LOCATION = Pattern.compile("location:\\s+(?:class|interface)\\s+([\\w.]+)");

    /** A removal: the member as {@code Class.member}, what replaces it, and the version that removed it. */
    record Removal(String member, String replacement, PlatformVersion removedIn) {
    }

    private final Map<String, Removal> removals;

    FixHints(Map<String, Removal> removals) {
        this.removals = Map.copyOf(removals);
    }

    /** The hints for compiling against a version: the removals of every known version up to it. */
    static FixHints forTarget(PlatformCatalog catalog, PlatformVersion target) {
        var removals = new LinkedHashMap<String, Removal>();
        for (var version : catalog.versions()) {
            if (version.compareTo(target) > 0) {
                break;
            }
            catalog.removals(version).forEach((member, replacement) -> {
                var removal = new Removal(member, replacement, version);
                removals.put(member, removal);
                removals.put(simple(member), removal); // javac names the class as the source imported it
            });
        }
        return new FixHints(removals);
    }

    /** The diagnostic with its hint after javac's message, or as it was when no removal explains it. */
    public CompileDiagnostic annotate(CompileDiagnostic error) {
        var symbol = SYMBOL.matcher(error.message());
        var location = LOCATION.matcher(error.message());
        if (!error.message().startsWith("cannot find symbol") || !symbol.find() || !location.find()) {
            return error;
        }
        var removal = removals.get(location.group(1) + "." + symbol.group(1));
        if (removal == null) {
            return error;
        }
        return new CompileDiagnostic(error.module(), error.file(), error.line(), error.message() + "\n  hint: "
                + simple(removal.member()) + " was removed in " + removal.removedIn() + ": use "
                + simple(removal.replacement()) + " instead (" + removal.replacement() + ")");
    }

    /** Each failed module's errors with their hints. */
    public ModuleOutcome annotate(ModuleOutcome outcome) {
        if (outcome.errors().isEmpty() || removals.isEmpty()) {
            return outcome;
        }
        var errors = new ArrayList<CompileDiagnostic>(outcome.errors().size());
        outcome.errors().forEach(e -> errors.add(annotate(e)));
        return ModuleOutcome.failed(errors);
    }

    /** {@code platform.system.Users.findByName} → {@code Users.findByName}. */
    private static String simple(String member) {
        int dot = member.lastIndexOf('.');
        int classDot = dot < 0 ? -1 : member.lastIndexOf('.', dot - 1);
        return member.substring(classDot + 1);
    }

    List<Removal> removals() {
        return removals.values().stream().distinct().toList();
    }
}
