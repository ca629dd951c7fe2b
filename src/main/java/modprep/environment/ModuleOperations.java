package modprep.environment;

import static modprep.db.schema.Tables.CODE_REFERENCE;
import static modprep.db.schema.Tables.MODULE;
import static modprep.db.schema.Tables.MODULE_BUILD;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import modprep.ModprepException;
import org.jooq.DSLContext;

/** Apply configurations and Delete, each refused while the module is locked by the preparation (P7). */
public final class ModuleOperations {
    private final modprep.db.Database database;
    private final Clock clock;
    private final PreparationView preparation;

    public ModuleOperations(modprep.db.Database database, Clock clock, PreparationView preparation) {
        this.database = database;
        this.clock = clock;
        this.preparation = preparation;
    }

    /** Stores new values for configuration keys the module already has. */
    public void applyConfigurations(String module, Map<String, String> values, String actor) {
        var now = OffsetDateTime.now(clock);
        database.transaction(tx -> {
            long id = lockModule(tx, module);
            new ModuleGuard(tx, preparation).refuseIfLocked(ModuleGuard.Operation.APPLY_CONFIGURATIONS, List.of(module), actor, now);
            var repository = new EnvironmentRepository(tx);
            var current = repository.configuration(id);
            var updated = new LinkedHashMap<>(current);
            for (var e : values.entrySet()) {
                if (!current.containsKey(e.getKey())) {
                    throw ModprepException.badInput("module " + module + " has no configuration '" + Names.abbreviate(e.getKey())
                            + "'; its configurations are: " + String.join(", ", current.keySet()));
                }
                String value = e.getValue() == null ? "" : e.getValue();
                if (value.length() > ModuleFolderReader.MAX_CONFIG_VALUE) {
                    throw ModprepException.badInput("module " + module + ": the value of '" + Names.abbreviate(e.getKey())
                            + "' is longer than " + ModuleFolderReader.MAX_CONFIG_VALUE + " characters");
                }
                if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
                    throw ModprepException.badInput("module " + module + ": the value of '" + Names.abbreviate(e.getKey())
                            + "' contains control characters");
                }
                updated.put(e.getKey(), value);
            }
            repository.replaceConfiguration(id, updated);
            return null;
        });
    }

    /** Deletes a module nobody uses any more. */
    public void delete(String module, String actor) {
        var now = OffsetDateTime.now(clock);
        database.transaction(tx -> {
            long id = lockModule(tx, module);
            new ModuleGuard(tx, preparation).refuseIfLocked(ModuleGuard.Operation.DELETE, List.of(module), actor, now);
            var consumer = MODULE.as("consumer");
            var consumers = tx.selectDistinct(consumer.NAME).from(CODE_REFERENCE)
                    .join(consumer).on(consumer.LATEST_CODE_ID.eq(CODE_REFERENCE.CODE_ID)
                            .or(consumer.PUBLISHED_CODE_ID.eq(CODE_REFERENCE.CODE_ID)))
                    .where(CODE_REFERENCE.PRODUCER_ID.eq(id), consumer.ID.ne(id)).orderBy(consumer.NAME).fetch(consumer.NAME);
            if (!consumers.isEmpty()) {
                throw ModprepException.refused("Delete of module " + module + " was refused: " + String.join(", ", consumers)
                        + (consumers.size() == 1 ? " uses" : " use") + " it. Remove those references first. Nothing was changed.");
            }
            tx.update(MODULE).set(MODULE.LATEST_CODE_ID, (Long) null).set(MODULE.PUBLISHED_CODE_ID, (Long) null)
                    .where(MODULE.ID.eq(id)).execute();
            // Its builds reference its code: removed first, as H2 checks each cascaded delete at once.
            tx.deleteFrom(MODULE_BUILD).where(MODULE_BUILD.MODULE_ID.eq(id)).execute();
            tx.deleteFrom(MODULE).where(MODULE.ID.eq(id)).execute();
            new EnvironmentRepository(tx).bumpRevision();
            return null;
        });
    }

    /** The module's id, with its row locked until the transaction ends. */
    static long lockModule(DSLContext tx, String module) {
        Long id = tx.select(MODULE.ID).from(MODULE).where(MODULE.NAME.eq(module)).forUpdate().fetchOne(MODULE.ID);
        if (id == null) {
            throw ModprepException.notFound("no module named " + Names.abbreviate(module));
        }
        return id;
    }
}
