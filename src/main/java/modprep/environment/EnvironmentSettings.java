package modprep.environment;

import java.time.OffsetDateTime;
import modprep.platform.PlatformVersion;

/** The environment's platform version and preparation settings. */
public record EnvironmentSettings(PlatformVersion version, boolean progressiveEnabled, int groupSize,
                                  OffsetDateTime importedAt, OffsetDateTime upgradedAt, long revision) {
}
