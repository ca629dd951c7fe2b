package modprep.environment;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import modprep.db.Sha256;
import modprep.platform.PlatformVersion;

/**
 * The name of everything a compilation depends on: the platform version, the sources of the modules
 * compiled together, and each producer's compilation (its jar and, through its own inputs, everything
 * that one depends on). Two compilations with the same inputs give the same jar, so each is made once
 * (DESIGN §2), and a prepared module whose inputs changed is known to need preparing again (P11).
 */
public final class BuildInputs {
    private BuildInputs() {
    }

    /** A producer's compilation, as a consumer depends on it. */
    public record ProducerBuild(String module, String jarSha256, String inputsSha256) {
    }

    /**
     * The inputs of each module of a unit compiled together.
     *
     * @param sourcesByModule each module of the unit and the SHA-256 of its sources
     * @param producers the compilations of the unit's producers outside it
     */
    public static Map<String, String> of(PlatformVersion version, Map<String, String> sourcesByModule,
                                         List<ProducerBuild> producers) {
        var text = new StringBuilder("modprep-inputs-1\nplatform ").append(version).append('\n');
        sourcesByModule.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append("module ").append(e.getKey()).append(' ').append(e.getValue()).append('\n'));
        producers.stream().sorted(Comparator.comparing(ProducerBuild::module))
                .forEach(p -> text.append("producer ").append(p.module()).append(' ').append(p.jarSha256())
                        .append(' ').append(p.inputsSha256()).append('\n'));
        String unit = Sha256.of(text.toString());
        if (sourcesByModule.size() == 1) {
            return Map.of(sourcesByModule.keySet().iterator().next(), unit);
        }
        var byModule = new java.util.HashMap<String, String>();
        sourcesByModule.keySet().forEach(m -> byModule.put(m, Sha256.of(unit + "\n" + m)));
        return byModule;
    }
}
