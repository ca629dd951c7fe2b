package modprep.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import modprep.environment.PublishState;
import modprep.tools.DemoEnvironment.Module;

/**
 * Writes one planned module of a demo environment as a folder: its module.properties, sometimes a
 * config.properties, and Java sources that really call its producers, so that a producer that is
 * missing or not prepared is a real compile error: three, then as many steps as make the classes asked for.
 */
final class DemoModuleWriter {
    private DemoModuleWriter() {
    }

    /**
     * How many classes a module of realistic size holds: most modules are small and a few large, as in a
     * real factory (three, and a log-normal number more: median 4, at most 60), the same for a module's
     * name every time.
     */
    static int realisticClasses(String module) {
        var random = new java.util.Random(module.hashCode() * 7919L + 17);
        return DemoEnvironment.MIN_CLASSES + (int) Math.min(60, Math.floor(Math.exp(1.4 + random.nextGaussian())));
    }

    static void write(Path folder, Module m, Map<String, Module> all, boolean published, boolean callsFindByName,
                      boolean fixedCode, int classes) throws IOException {
        String pkg = packageOf(m.name());
        String type = typeOf(m.name());
        writeFile(folder.resolve("module.properties"), "application=" + m.application() + "\nstate="
                + PublishState.of(published).code() + "\nreferences=" + String.join(",", m.references()) + "\n");
        if (m.name().hashCode() % 3 == 0) {
            writeFile(folder.resolve("config.properties"), "service.url=https://" + m.name().toLowerCase(Locale.ROOT)
                    .replace('_', '-') + ".example.internal/api\ntimeout.seconds=30\nfeature.auditing=true\n");
        }
        var calls = new StringBuilder();
        for (String producer : m.references()) {
            var p = all.get(producer);
            boolean cycleBack = p.references().contains(m.name()) && p.level() >= m.level();
            calls.append(cycleBack
                    ? "        total += " + packageOf(producer) + "." + typeOf(producer) + "Model.of(input).weight();\n"
                    : "        total += " + packageOf(producer) + "." + typeOf(producer) + "Service.compute(input + " + (1 + Math.abs(producer.hashCode() % 7)) + ");\n");
        }
        // Most modules only use what every version has; the ones to fix call what 11.17.0 removed, and
        // their fixes (written with fixedCode) what replaced it.
        String userLookup = callsFindByName ? "Users.findByName(name)" : fixedCode ? "Users.findByUsername(name)"
                : "Users.currentUserId() + name.length()";
        String dir = "src/" + pkg.replace('.', '/') + "/";
        writeFile(folder.resolve(dir + type + "Service.java"), """
                package %1$s;

                import platform.system.Log;
                import platform.system.Users;
                import platform.system.Version;

                /** %2$s: the operations other modules call. */
                public final class %3$sService {
                    private %3$sService() {
                    }

                    public static long compute(long input) {
                        long total = %3$sUtil.mix(input, %4$d);
                %5$s        return total + %3$sModel.of(input).weight()%7$s;
                    }

                    public static long ownerOf(String name) {
                        Log.info("looking up " + name + " in %2$s");
                        return %6$s;
                    }

                    public static String describe() {
                        return "%2$s running on " + Version.NAME + " for user " + Users.currentUserId();
                    }
                }
                """.formatted(pkg, m.name(), type, Math.abs(m.name().hashCode() % 97), calls, userLookup,
                        classes > DemoEnvironment.MIN_CLASSES ? " + " + type + "Step1.apply(input)" : ""));
        int steps = classes - DemoEnvironment.MIN_CLASSES;
        for (int i = 1; i <= steps; i++) {
            writeFile(folder.resolve(dir + type + "Step" + i + ".java"), step(pkg, m.name(), type, i, i < steps));
        }
        writeFile(folder.resolve(dir + type + "Model.java"), """
                package %1$s;

                import java.util.ArrayList;
                import java.util.List;

                /** A value of %2$s, with its parts. */
                public final class %3$sModel {
                    private final long id;
                    private final List<String> parts = new ArrayList<>();

                    private %3$sModel(long id) {
                        this.id = id;
                        for (int i = 0; i < 3; i++) {
                            parts.add("%2$s-" + id + "-" + i);
                        }
                    }

                    public static %3$sModel of(long id) {
                        return new %3$sModel(id);
                    }

                    public long weight() {
                        long weight = id %% 13;
                        for (String part : parts) {
                            weight += part.length();
                        }
                        return weight;
                    }

                    public List<String> parts() {
                        return List.copyOf(parts);
                    }
                }
                """.formatted(pkg, m.name(), type));
        writeFile(folder.resolve(dir + type + "Util.java"), """
                package %1$s;

                /** Small helpers of %2$s. */
                final class %3$sUtil {
                    private %3$sUtil() {
                    }

                    static long mix(long value, int salt) {
                        long mixed = value * 31 + salt;
                        mixed ^= (mixed >>> 7);
                        return Math.floorMod(mixed, 1_000_003L);
                    }

                    static String label(long value) {
                        return switch ((int) Math.floorMod(value, 3L)) {
                            case 0 -> "low";
                            case 1 -> "medium";
                            default -> "high";
                        };
                    }
                }
                """.formatted(pkg, m.name(), type));
    }

    /** One step of a module's service: a little work of its own, then the next step. */
    private static String step(String pkg, String module, String type, int i, boolean next) {
        return """
                package %1$s;

                /** Step %4$d of %2$s's computation. */
                final class %3$sStep%4$d {
                    private %3$sStep%4$d() {
                    }

                    static long apply(long input) {
                        long value = %3$sUtil.mix(input, %4$d);
                        if (%3$sUtil.label(value).equals("high")) {
                            value += %3$sModel.of(value).parts().size();
                        }
                        return value%5$s;
                    }
                }
                """.formatted(pkg, module, type, i, next ? " + " + type + "Step" + (i + 1) + ".apply(value)" : "");
    }

    static String packageOf(String module) {
        String segment = module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return "app." + (Character.isDigit(segment.charAt(0)) ? "m" + segment : segment);
    }

    static String typeOf(String module) {
        var type = new StringBuilder();
        for (String part : module.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                type.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return Character.isDigit(type.charAt(0)) ? "M" + type : type.toString();
    }

    static void writeFile(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
