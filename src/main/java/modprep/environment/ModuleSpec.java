package modprep.environment;

import java.util.List;
import java.util.Map;
import modprep.platform.SourceFile;

/** One module as read from its folder (DESIGN §3), before anything is stored. */
public record ModuleSpec(String name, String application, boolean published, List<String> references,
                         Map<String, String> configuration, List<SourceFile> sources) {
}
