package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import dev.strata.history.SchemaHistory;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code strata baseline --up-to N}: records migrations as applied without running them, for a
 * database that already has their schema; each verify step must pass first.
 */
public final class Baseline {

    private final Migrator migrator;

    /** @param migrator supplies the catalog, the database and the lock */
    public Baseline(Migrator migrator) {
        this.migrator = migrator;
    }

    /**
     * The outcome of {@code baseline}.
     *
     * @param inserted migrations recorded as applied without running them
     * @param adopted  rows the old system wrote, now carrying the file's checksum
     * @param already  migrations Strata had recorded before
     */
    public record BaselineResult(List<String> inserted, List<String> adopted, List<String> already) {
    }

    /**
     * Records the migrations numbered up to {@code upTo} (and their dependencies) as applied
     * without running them, for a database that already has that schema: adopts an existing
     * {@code schema_migrations} table of the old system in place. Unless {@code skipVerify}, every
     * such migration's verify step must pass first (read-only), so a database without the schema
     * is not baselined by mistake.
     *
     * @return fails with {@link HistoryConflictException} when a verify step fails (nothing recorded)
     */
    public Uni<BaselineResult> baseline(long upTo, boolean skipVerify, Duration lockWait, ProgressListener listener) {
        List<CatalogMigration> selected = migrator.catalog().migrations().stream()
                .filter(m -> m.number() <= upTo)
                .flatMap(m -> migrator.catalog().withDependencies(m.number()).stream())
                .distinct().toList();
        List<CatalogMigration> ordered = migrator.catalog().migrations().stream().filter(selected::contains).toList();
        return migrator.underLock(lockWait, listener, (lazyWork, history) -> lazyWork.get().chain(work -> {
            Uni<List<String>> checks = skipVerify ? Uni.createFrom().item(List.of())
                    : Multi.createFrom().iterable(ordered)
                            .onItem().transformToUniAndConcatenate(m -> Validation.verifyReadOnly(work, m))
                            .filter(Optional::isPresent).map(Optional::get).collect().asList();
            return checks.onItem().transformToUni(problems -> {
                if (!problems.isEmpty()) {
                    return Uni.createFrom().failure(new HistoryConflictException(problems, "baseline refused: "
                            + problems.size() + " of " + ordered.size() + " verify step" + (ordered.size() == 1 ? "" : "s")
                            + " failed, so the database does not have the schema of these migrations; nothing was "
                            + "recorded. Apply them instead (strata apply-all), or pass --skip-verify if you are sure."));
                }
                List<String> inserted = new ArrayList<>();
                List<String> adopted = new ArrayList<>();
                List<String> already = new ArrayList<>();
                return Multi.createFrom().iterable(ordered)
                        .onItem().transformToUniAndConcatenate(m -> SchemaHistory.baseline(work, lazyWork.table(), new SchemaHistory.Entry(
                                        m.name(), m.number(), m.checksum(), m.description(), null, null,
                                        m.dependencies(), "baseline", true, null, migrator.toolVersion()))
                                .onItem().invoke(action -> {
                                    if ("inserted".equals(action)) {
                                        inserted.add(m.name());
                                    } else if ("adopted".equals(action)) {
                                        adopted.add(m.name());
                                    } else {
                                        already.add(m.name());
                                    }
                                }))
                        .collect().asList()
                        .onItem().transform(done -> new BaselineResult(inserted, adopted, already));
            });
        }));
    }
}
