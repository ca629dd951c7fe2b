package modprep.testing;

import static modprep.db.schema.Tables.COMPILATION;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;

import java.nio.charset.StandardCharsets;
import modprep.Modprep;
import modprep.db.BlobStore;
import modprep.db.schema.tables.records.ModuleBuildRecord;
import modprep.db.schema.tables.records.ModuleRecord;
import modprep.platform.Archive;

/** What the database holds about modules' compilations, read the way a test asserts on them. */
public final class Builds {
    private Builds() {
    }

    /** The module's compilation for a version, or null. */
    public static ModuleBuildRecord build(Modprep app, String module, String version) {
        var dsl = app.database().dsl();
        return dsl.select(MODULE_BUILD.fields()).from(MODULE_BUILD).join(MODULE).on(MODULE.ID.eq(MODULE_BUILD.MODULE_ID))
                .where(MODULE.NAME.eq(module), MODULE_BUILD.PLATFORM_VERSION.eq(version))
                .fetchOptionalInto(MODULE_BUILD).orElse(null);
    }

    public static ModuleRecord module(Modprep app, String module) {
        return app.database().dsl().selectFrom(MODULE).where(MODULE.NAME.eq(module)).fetchSingle();
    }

    /** How many compilations were ever made (each set of inputs is compiled once). */
    public static int compilations(Modprep app) {
        return app.database().dsl().fetchCount(COMPILATION);
    }

    /** Whether some class file of the stored jar holds the text (a constant javac inlined, for instance). */
    public static boolean jarMentions(Modprep app, String jarSha256, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (byte[] classFile : Archive.read(new BlobStore(app.database().dsl()).get(jarSha256)).values()) {
            outer:
            for (int i = 0; i + needle.length <= classFile.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (classFile[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
