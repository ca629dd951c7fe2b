package modprep.environment;

import java.util.List;
import modprep.platform.PlatformVersion;

/** An environment as read from its folder (DESIGN §3), before anything is stored. */
public record EnvironmentSpec(PlatformVersion version, boolean progressive, List<ModuleSpec> modules) {
}
