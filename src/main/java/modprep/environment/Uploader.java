package modprep.environment;


import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import modprep.ModprepException;
import modprep.db.BlobStore;

/**
 * Upload: stores a new version of one module's code (a module folder, DESIGN §3). It stays uploaded
 * until published: what the module runs, and what the preparation compiles, do not change.
 */
public final class Uploader {
    private final Compilations compilations;
    private final Clock clock;
    private final ModuleFolderReader reader = new ModuleFolderReader();

    public Uploader(Compilations compilations, Clock clock) {
        this.compilations = compilations;
        this.clock = clock;
    }

    /** What was stored: the module, the number of its new code version, and whether it is new. */
    public record Result(String module, int codeVersion, boolean newModule) {
    }

    public Result upload(Path moduleFolder, String actor) {
        var spec = reader.read(moduleFolder, moduleFolder.getFileName() == null ? moduleFolder.toString()
                : moduleFolder.getFileName().toString());
        return upload(spec, actor);
    }

    public Result upload(ModuleSpec spec, String actor) {
        byte[] archive = Compilations.sourcesArchive(spec.sources());
        var now = OffsetDateTime.now(clock);
        return compilations.database().transaction(tx -> {
            var repository = new EnvironmentRepository(tx);
            repository.lockSettings();
            var producerIds = new ArrayList<Long>();
            for (String producer : spec.references()) {
                Long id = repository.moduleId(producer);
                if (id == null) {
                    throw ModprepException.badInput("module " + spec.name() + ": module.properties references " + producer
                            + ", which is not a module of this environment");
                }
                producerIds.add(id);
            }
            long applicationId = repository.applicationId(spec.application());
            Long existing = repository.moduleId(spec.name());
            long moduleId = existing != null ? existing : repository.insertModule(spec.name(), applicationId);
            repository.setApplication(moduleId, applicationId);
            String sha = new BlobStore(tx).put(archive);
            repository.addCode(moduleId, sha, spec.sources().size(), producerIds, now, actor);
            // New keys arrive with their values; keys already there keep the values set on the module.
            var configuration = new LinkedHashMap<>(spec.configuration());
            repository.configuration(moduleId).forEach((k, v) -> {
                if (configuration.containsKey(k)) {
                    configuration.put(k, v);
                }
            });
            repository.replaceConfiguration(moduleId, configuration);
            repository.bumpRevision();
            int seq = tx.selectCount().from(modprep.db.schema.Tables.MODULE_CODE)
                    .where(modprep.db.schema.Tables.MODULE_CODE.MODULE_ID.eq(moduleId)).fetchOne(0, Integer.class);
            return new Result(spec.name(), seq, existing == null);
        });
    }

}
