package modprep.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import modprep.testing.TestEnvironment.ModuleDef;

/**
 * Seeded random mutations of a small valid environment folder and of one module's archive: files
 * deleted, renamed, duplicated, truncated, with invalid UTF-8 or NUL bytes, bad names, cycles,
 * self-references, unknown versions, huge values, zip path tricks. Each says what should become of it:
 * still valid, refused with a message holding a given fragment, or either (a random cut can land
 * anywhere). Case {@code i} of a seed is always the same mutation, so a failure can be replayed.
 */
public final class Mutations {
    /** The seed of the randomized tests (MutatedInputTest, MutatedImportIT). */
    public static final long SEED = 14;
    /** Core (configured), Web uses Core, Api uses Core and Web, Draft (only uploaded) uses Web. */
    public static final TestEnvironment DEMO = new TestEnvironment("11.16.1")
            .add(new ModuleDef("Core", "Platform", true, List.of(), false, Map.of("color", "blue")))
            .add(new ModuleDef("Web", "Shop", true, List.of("Core"), false, Map.of()))
            .add(new ModuleDef("Api", "Shop", true, List.of("Core", "Web"), false, Map.of("timeout", "30")))
            .add(new ModuleDef("Draft", "Shop", false, List.of("Web"), false, Map.of()));
    static final List<String> MODULES = List.of("Core", "Web", "Api", "Draft");
    static final List<String> BAD_NAMES = List.of("a b", "x$y", "\u00fcber", "M".repeat(101), "<script>", "a:b", "semi;colon");
    static final List<String> UNSAFE_ENTRIES = List.of("../x.java", "../../etc/passwd", "/abs.java", "src/../../x.java", ".",
            "src/..", "src/./m/api/B.java", "src//B.java", "C:/x.java", "..\\x.java", "src/m/../../../y.java", "src/a\u0000.java", "src/m/api/../");

    public enum Expect { VALID, INVALID, EITHER }

    /** A mutated folder or archive, what was done to it, and what should become of it. */
    public record Mutant(int index, String description, FolderTree tree, byte[] raw, Expect expect, String fragment) {
        /** The archive's bytes: the zip of the tree, or bytes made otherwise (not a zip, a cut zip). */
        public byte[] archive() {
            return raw != null ? raw : tree.zip();
        }

        @Override
        public String toString() {
            return "case " + index + " (" + description + ", " + expect + (fragment == null ? "" : " '" + fragment + "'") + ")";
        }
    }

    /** What one change did: its description and expectation (the tree itself is changed in place). */
    private record Change(String description, Expect expect, String fragment) {
        static Change valid(String description) {
            return new Change(description, Expect.VALID, null);
        }

        static Change invalid(String description, String fragment) {
            return new Change(description, Expect.INVALID, fragment);
        }

        static Change either(String description) {
            return new Change(description, Expect.EITHER, null);
        }
    }

    private record Op(int weight, BiFunction<Random, FolderTree, Change> change) {
    }

    private final long seed;
    private final FolderTree environment;
    private final FolderTree module;
    private byte[] raw;

    public Mutations(long seed, Path scratch) {
        this.seed = seed;
        this.environment = FolderTree.read(DEMO.write(scratch.resolve("demo")));
        this.module = environment.under("modules/Api/");
    }

    /** The demo environment, unchanged. */
    public FolderTree environment() {
        return environment.copy();
    }

    /**
     * Case {@code index}: one change to the environment folder, or two or three at once (then either).
     * One case in {@value #COMPILED_EVERY} may stay valid, and so goes on to be compiled (what takes time);
     * the others are refused before.
     */
    public Mutant environment(int index) {
        return index % COMPILED_EVERY == 0 ? mutate(index, environment, ENVIRONMENT_COMPILED, false)
                : mutate(index, environment, ENVIRONMENT_REFUSED, true);
    }

    public static final int COMPILED_EVERY = 50;

    /** Case {@code index}: a change to Api's folder, zipped, as uploaded: the archive's structure or its properties. */
    public Mutant archive(int index) {
        return mutate(index, module, archiveOps, false);
    }

    /** Case {@code index}: a change to the text of Api's module.properties or config.properties, zipped, as uploaded. */
    public Mutant properties(int index) {
        return mutate(index, module, PROPERTIES_OPS, false);
    }

    private synchronized Mutant mutate(int index, FolderTree base, List<Op> ops, boolean stack) {
        var random = new Random(seed * 1_000_003L + index * 31L + ops.size());
        var tree = base.copy();
        raw = null;
        int changes = stack && random.nextInt(10) == 0 ? 2 + random.nextInt(2) : 1;
        var done = new ArrayList<Change>();
        for (int i = 0; i < changes; i++) {
            done.add(apply(random, ops, tree));
        }
        String description = String.join(" + ", done.stream().map(Change::description).toList());
        if (done.size() == 1) {
            return new Mutant(index, description, tree, raw, done.get(0).expect(), done.get(0).fragment());
        }
        return new Mutant(index, description, tree, raw, Expect.EITHER, null);
    }

    /** One change; after earlier ones, a change may find nothing to work on (its module deleted): another is tried. */
    private static Change apply(Random random, List<Op> ops, FolderTree tree) {
        for (int attempt = 0; ; attempt++) {
            var before = tree.copy();
            try {
                return pick(random, ops).change().apply(random, tree);
            } catch (RuntimeException nothingToChange) {
                if (attempt == 20) {
                    throw nothingToChange;
                }
                tree.restore(before);
            }
        }
    }

    private static Op pick(Random random, List<Op> ops) {
        int total = ops.stream().mapToInt(Op::weight).sum();
        int at = random.nextInt(total);
        for (var op : ops) {
            at -= op.weight();
            if (at < 0) {
                return op;
            }
        }
        throw new IllegalStateException();
    }

    private static <T> T any(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static String anyFile(Random random, FolderTree tree, String suffix) {
        var files = tree.paths().stream().filter(p -> p.endsWith(suffix)).toList();
        return any(random, files);
    }

    // --- Properties text -------------------------------------------------------------------------

    /** The text with {@code key=value} set (its line replaced, or added). */
    static String set(String text, String key, String value) {
        var lines = new ArrayList<>(text.lines().toList());
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(key + "=")) {
                lines.set(i, key + "=" + value);
                found = true;
            }
        }
        if (!found) {
            lines.add(key + "=" + value);
        }
        return String.join("\n", lines) + "\n";
    }

    static String without(String text, String key) {
        return String.join("\n", text.lines().filter(l -> !l.startsWith(key + "=")).toList()) + "\n";
    }

    private static byte[] insert(byte[] content, int at, byte[] bytes) {
        var out = new byte[content.length + bytes.length];
        System.arraycopy(content, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(content, at, out, at + bytes.length, content.length - at);
        return out;
    }

    /** Changes to one module's module.properties (at {@code prefix}: "modules/Web/" or "" for an archive's root). */
    private static Change moduleProperties(Random random, FolderTree tree, String prefix, String module, boolean inEnvironment,
                                           boolean refusedOnly) {
        String file = prefix + "module.properties";
        String text = tree.text(file);
        String where = inEnvironment ? prefix + "module.properties" : "module.properties";
        switch (refusedOnly ? random.nextInt(12) : random.nextInt(16)) {
            case 0 -> {
                tree.put(file, set(text, "references", "Ghost"));
                return Change.invalid(where + ": references=Ghost", "references Ghost, which is not a module of this environment");
            }
            case 1 -> {
                tree.put(file, set(text, "references", module));
                return Change.invalid(where + ": references itself", where + " references itself");
            }
            case 2 -> {
                String bad = any(random, BAD_NAMES);
                tree.put(file, set(text, "references", (module.equals("Core") ? "Web," : "Core,") + bad));
                return Change.invalid(where + ": references a bad name", "is not a valid module name");
            }
            case 3 -> {
                tree.put(file, set(text, "state", "maybe"));
                return Change.invalid(where + ": state=maybe", "has state 'maybe'");
            }
            case 4, 5, 6 -> {
                String key = any(random, List.of("application", "state", "references"));
                tree.put(file, without(text, key));
                return Change.invalid(where + ": no " + key, where + " has no '" + key + "' key");
            }
            case 7 -> {
                String application = any(random, List.of("", "A".repeat(101), "\\u0007bell", "tab\\there"));
                tree.put(file, set(text, "application", application));
                return Change.invalid(where + ": application='" + application + "'", "has an invalid application name");
            }
            case 8 -> {
                tree.put(file, set(text, "references", "Ghost,".repeat(170_000)));
                return Change.invalid(where + ": a huge references value", where + " is larger than 1000000 bytes");
            }
            case 9 -> {
                tree.put(file, text + "broken=\\uZZZZ\n");
                return Change.invalid(where + ": a bad \\u escape", where + " is not a valid properties file");
            }
            case 10 -> {
                tree.put(file, insert(tree.get(file), random.nextInt(tree.get(file).length + 1), new byte[] {(byte) 0xC3, (byte) 0x28}));
                return Change.invalid(where + ": invalid UTF-8", where + " is not UTF-8 text");
            }
            case 11 -> {
                tree.put(file, insert(tree.get(file), random.nextInt(tree.get(file).length + 1), new byte[] {0}));
                return Change.invalid(where + ": a NUL byte", where + " is binary, not UTF-8 text");
            }
            case 12 -> {
                byte[] content = tree.get(file);
                int at = random.nextInt(content.length);
                tree.put(file, java.util.Arrays.copyOf(content, at));
                return Change.either(where + ": cut at " + at);
            }
            case 13 -> {
                var lines = new ArrayList<>(text.lines().toList());
                int line = random.nextInt(lines.size());
                if (random.nextBoolean()) {
                    lines.remove(line);
                } else {
                    lines.add(line, lines.get(line));
                }
                tree.put(file, String.join("\n", lines) + "\n");
                return Change.either(where + ": a line removed or doubled");
            }
            case 14 -> {
                byte[] content = tree.get(file).clone();
                int at = random.nextInt(content.length);
                content[at] = (byte) (32 + random.nextInt(95));
                tree.put(file, content);
                return Change.either(where + ": byte " + at + " changed to '" + (char) content[at] + "'");
            }
            default -> {
                String junk = randomPrintable(random, 1 + random.nextInt(30));
                tree.put(file, text + junk + "\n");
                return Change.either(where + ": a line of junk '" + junk + "'");
            }
        }
    }

    /** Changes to a config.properties at {@code prefix} (it may not exist yet). */
    private static Change configProperties(Random random, FolderTree tree, String prefix, boolean refusedOnly) {
        String file = prefix + "config.properties";
        String text = tree.has(file) ? tree.text(file) : "";
        switch (refusedOnly ? random.nextInt(4) : random.nextInt(6)) {
            case 0 -> {
                tree.put(file, text + "k".repeat(201) + "=1\n");
                return Change.invalid(file + ": a key of 201 characters", "has a configuration key that is empty or longer than 200 characters");
            }
            case 1 -> {
                tree.put(file, text + "=nameless\n");
                return Change.invalid(file + ": an empty key", "has a configuration key that is empty or longer than 200 characters");
            }
            case 2 -> {
                tree.put(file, text + "big=" + "v".repeat(4001) + "\n");
                return Change.invalid(file + ": a value of 4001 characters", "has a value for 'big' longer than 4000 characters");
            }
            case 3 -> {
                tree.put(file, text + "odd=\\u12\n");
                return Change.invalid(file + ": a bad \\u escape", "config.properties is not a valid properties file");
            }
            case 4 -> {
                tree.put(file, text + "added.key=" + randomPrintable(random, 10).replace("\\", "/") + "\n");
                return Change.valid(file + ": a key added");
            }
            default -> {
                tree.remove(file);
                return Change.valid(file + ": removed");
            }
        }
    }

    private static String randomPrintable(Random random, int length) {
        var text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (32 + random.nextInt(95)));
        }
        return text.toString();
    }

    // --- The environment folder ------------------------------------------------------------------

    /** Changes an environment cannot pass: each is refused before anything is compiled. */
    private static final List<Op> ENVIRONMENT_REFUSED = List.of(
            new Op(8, (r, t) -> {
                String m = any(r, MODULES);
                return moduleProperties(r, t, "modules/" + m + "/", m, true, true);
            }),
            new Op(2, (r, t) -> configProperties(r, t, "modules/" + any(r, MODULES) + "/", true)),
            new Op(3, (r, t) -> environmentProperties(r, t, true)),
            new Op(4, (r, t) -> {
                String file = any(r, t.paths().stream().filter(p -> !p.endsWith("config.properties")).toList());
                t.remove(file);
                if (file.equals("environment.properties")) {
                    return Change.invalid("environment.properties deleted", "environment.properties is missing");
                }
                if (file.endsWith("module.properties")) {
                    return Change.invalid(file + " deleted", file + " is missing");
                }
                String module = file.split("/")[1];
                return Change.invalid(file + " deleted", "modules/" + module + "/src is missing");
            }),
            new Op(2, (r, t) -> {
                String m = any(r, List.of("Core", "Web"));
                t.removeUnder("modules/" + m + "/");
                return Change.invalid("module " + m + " deleted", "references " + m + ", which is not a module of this environment");
            }),
            new Op(4, (r, t) -> {
                String m = any(r, MODULES);
                String bad = any(r, BAD_NAMES.subList(0, 4));
                t.move("modules/" + m + "/", "modules/" + bad + "/");
                return Change.invalid("module folder " + m + " renamed to '" + bad + "'", "is not a valid module name");
            }),
            new Op(2, (r, t) -> {
                String m = any(r, List.of("Core", "Web"));
                t.move("modules/" + m + "/", "modules/" + m + "_renamed/");
                return Change.invalid("module folder " + m + " renamed", "references " + m + ", which is not a module of this environment");
            }),
            new Op(4, (r, t) -> {
                String file = anyFile(r, t, ".java");
                t.put(file, insert(t.get(file), r.nextInt(t.get(file).length + 1),
                        r.nextBoolean() ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {0}));
                return Change.invalid(file + ": invalid UTF-8 or a NUL byte", file + " is");
            }),
            new Op(2, (r, t) -> {
                String m = any(r, MODULES);
                String file = anyFile(r, t.under("modules/" + m + "/"), ".java");
                if (r.nextBoolean()) {
                    t.put("modules/" + m + "/" + file, FolderTree.link("/etc/hostname"));
                    return Change.invalid("modules/" + m + "/" + file + " made a link", "is not a regular file (links are not followed)");
                }
                t.removeUnder("modules/" + m + "/");
                t.put("modules/" + m, FolderTree.link(m.equals("Core") ? "Web" : "Core"));
                return Change.invalid("module folder " + m + " made a link", "modules/" + m + " is a link");
            }),
            new Op(2, (r, t) -> {
                if (r.nextBoolean()) {
                    t.put("modules/Empty/", new byte[0]);
                    return Change.invalid("an empty module folder", "modules/Empty/module.properties is missing");
                }
                String m = any(r, MODULES);
                t.removeUnder("modules/" + m + "/src/");
                t.put("modules/" + m + "/src", "not a folder");
                return Change.invalid("modules/" + m + "/src made a file", "modules/" + m + "/src is missing");
            }),
            new Op(1, (r, t) -> {
                t.removeUnder("modules/");
                return Change.invalid("no modules folder", "the modules folder is missing");
            }));

    /** Changes that leave an environment valid, or may: each goes on to be compiled. */
    private static final List<Op> ENVIRONMENT_COMPILED = List.of(
            new Op(4, (r, t) -> {
                String m = any(r, MODULES);
                return moduleProperties(r, t, "modules/" + m + "/", m, true, false);
            }),
            new Op(1, (r, t) -> configProperties(r, t, "modules/" + any(r, MODULES) + "/", false)),
            new Op(1, (r, t) -> environmentProperties(r, t, false)),
            new Op(1, (r, t) -> {
                String m = any(r, List.of("Api", "Draft"));
                t.removeUnder("modules/" + m + "/");
                return Change.valid("module " + m + " deleted");
            }),
            new Op(1, (r, t) -> {
                String m = any(r, List.of("Api", "Draft"));
                t.move("modules/" + m + "/", "modules/" + m + "_renamed/");
                return Change.valid("module folder " + m + " renamed");
            }),
            new Op(1, (r, t) -> {
                String m = any(r, MODULES);
                for (String path : t.paths()) {
                    if (path.startsWith("modules/" + m + "/")) {
                        t.put("modules/" + m + "_copy/" + path.substring(("modules/" + m + "/").length()), t.get(path).clone());
                    }
                }
                return Change.valid("module " + m + " duplicated as " + m + "_copy");
            }),
            new Op(2, (r, t) -> {
                String file = anyFile(r, t, ".java");
                int at = r.nextInt(t.get(file).length);
                t.put(file, java.util.Arrays.copyOf(t.get(file), at));
                return Change.either(file + " cut at " + at);
            }),
            new Op(1, (r, t) -> {
                t.put("modules/Core/module.properties", set(t.text("modules/Core/module.properties"), "references", "Api"));
                return Change.either("Core references Api: a cycle of Core, Web and Api");
            }));

    private static Change environmentProperties(Random random, FolderTree tree, boolean refusedOnly) {
        String file = "environment.properties";
        String text = tree.text(file);
        switch (refusedOnly ? any(random, List.of(0, 1, 2, 3, 4, 7)) : random.nextInt(8)) {
            case 0 -> {
                String version = any(random, List.of("99.1.0", "11.16", "", "<script>", "11.16.1.0", "v11.17.0"));
                tree.put(file, set(text, "platform.version", version));
                return Change.invalid("platform.version=" + version, "environment: environment.properties has an");
            }
            case 1 -> {
                tree.put(file, without(text, "platform.version"));
                return Change.invalid("no platform.version", "has no 'platform.version' key");
            }
            case 2 -> {
                tree.put(file, set(text, "progressive.enabled", "maybe"));
                return Change.invalid("progressive.enabled=maybe", "progressive.enabled='maybe': it must be true or false");
            }
            case 3 -> {
                tree.put(file, text + "x=\\uQQQQ\n");
                return Change.invalid("a bad \\u escape", "environment.properties is not a valid properties file");
            }
            case 4 -> {
                tree.put(file, insert(tree.get(file), random.nextInt(tree.get(file).length + 1), new byte[] {(byte) 0xC0}));
                return Change.invalid("invalid UTF-8", "environment.properties is not UTF-8 text");
            }
            case 5 -> {
                tree.put(file, set(text, "platform.version", "11.17.0"));
                return Change.valid("platform.version=11.17.0");
            }
            case 6 -> {
                int at = random.nextInt(tree.get(file).length);
                tree.put(file, java.util.Arrays.copyOf(tree.get(file), at));
                return Change.either("environment.properties cut at " + at);
            }
            default -> {
                tree.put(file, set(text, "platform.version", "11.16.1" + "9".repeat(1_000_000)));
                return Change.invalid("a huge platform.version", "environment.properties is larger than 1000000 bytes");
            }
        }
    }

    // --- One module's archive -------------------------------------------------------------------

    private static final List<Op> PROPERTIES_OPS = List.of(
            new Op(6, (r, t) -> moduleProperties(r, t, "", "Api", false, true)),
            new Op(2, (r, t) -> moduleProperties(r, t, "", "Api", false, false)),
            new Op(1, (r, t) -> configProperties(r, t, "", true)),
            new Op(1, (r, t) -> configProperties(r, t, "", false)));

    private final List<Op> archiveOps = List.of(
            new Op(6, (r, t) -> {
                String entry = any(r, UNSAFE_ENTRIES);
                t.put(entry, "class X {}\n");
                return Change.invalid("an entry '" + entry + "'", "holds an unsafe path");
            }),
            new Op(2, (r, t) -> {
                if (r.nextBoolean()) {
                    t.putFirst("src", "a file named src".getBytes(StandardCharsets.UTF_8));
                    return Change.invalid("a file src before src/...", "but 'src' is a file in it");
                }
                t.put("src/m/api", "a file where a folder is");
                return Change.invalid("a file src/m/api after src/m/api/Api.java", "holds 'src/m/api' as a file, but it is a folder in it");
            }),
            new Op(1, (r, t) -> {
                String top = any(r, List.of("Api/", "Wrapped/", "x y/"));
                t.move("", top);
                return Change.valid("wrapped in " + top);
            }),
            new Op(1, (r, t) -> {
                t.move("", "One/");
                t.put("Two/readme.txt", "another top folder");
                return Change.invalid("two top folders", "module.properties is missing");
            }),
            new Op(2, (r, t) -> {
                byte[] zip = t.zip();
                int at = r.nextInt(zip.length);
                raw = java.util.Arrays.copyOf(zip, at);
                return Change.either("the zip cut at " + at + " of " + zip.length + " bytes");
            }),
            new Op(1, (r, t) -> {
                raw = new byte[r.nextInt(2000)];
                r.nextBytes(raw);
                return Change.invalid("random bytes, not a zip", "not a");
            }),
            new Op(1, (r, t) -> {
                raw = FolderTree.empty().zip();
                return Change.invalid("an empty zip", "is empty or not a zip archive");
            }),
            new Op(3, (r, t) -> {
                String file = any(r, t.paths());
                t.remove(file);
                return file.equals("module.properties") ? Change.invalid("module.properties left out", "Api/module.properties is missing")
                        : file.endsWith(".java") ? Change.invalid(file + " left out", "Api/src is missing")
                        : Change.valid(file + " left out");
            }),
            new Op(3, (r, t) -> {
                switch (r.nextInt(5)) {
                    case 0 -> {
                        t.put("src/m/api/notes.txt", "not Java");
                        return Change.valid("a text file in src");
                    }
                    case 1 -> {
                        t.put("src/m/api/Empty.java", new byte[0]);
                        return Change.valid("an empty .java file");
                    }
                    case 2 -> {
                        t.put("src/m/api/Latin.java", "class Latin { String s = \"caf\u00e9\"; }".getBytes(StandardCharsets.ISO_8859_1));
                        return Change.invalid("a .java file in Latin-1", "Api/src/m/api/Latin.java is not UTF-8 text");
                    }
                    case 3 -> {
                        t.put("src/m/api/Blob.java", new byte[] {1, 2, 0, 3});
                        return Change.invalid("a binary .java file", "Api/src/m/api/Blob.java is binary, not UTF-8 text");
                    }
                    default -> {
                        t.put("src/", new byte[0]);
                        t.put("src/m/empty/", new byte[0]);
                        return Change.valid("folder entries of their own");
                    }
                }
            }),
            new Op(4, (r, t) -> moduleProperties(r, t, "", "Api", false, true)),
            new Op(1, (r, t) -> moduleProperties(r, t, "", "Api", false, false)),
            new Op(1, (r, t) -> configProperties(r, t, "", true)),
            new Op(1, (r, t) -> {
                var good = List.of("Draft", "", "Core,Core,Web", " Core , Web ");
                String references = any(r, good);
                t.put("module.properties", set(t.text("module.properties"), "references", references));
                return Change.valid("references='" + references + "'");
            }));
}
