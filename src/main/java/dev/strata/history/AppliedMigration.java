package dev.strata.history;

import java.time.OffsetDateTime;

/**
 * One row of the schema history table.
 *
 * @param number          migration number
 * @param name            file name without {@code .sql}
 * @param checksum        SHA-256 hex of the file when it was recorded
 * @param description     description recorded with it
 * @param executedAt      commit time (server clock)
 * @param executionTimeMs wall time of the SQL, ms; null for baseline rows
 * @param success         false for a failed non-transactional migration
 * @param installedBy     database role that recorded it
 * @param kind            {@code applied}, {@code baseline}, {@code repaired}, or {@code adopted-<tool>} for a
 *                        migration another tool applied (see {@link Adoption})
 * @param error           for a failed row, the failing statement and error
 */
public record AppliedMigration(long number, String name, String checksum, String description,
                               OffsetDateTime executedAt, Integer executionTimeMs, boolean success,
                               String installedBy, String kind, String error) {
}
