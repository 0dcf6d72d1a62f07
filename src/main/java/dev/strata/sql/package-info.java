/**
 * Strata's SQL reading, with no database and no dependencies beyond the JDK: {@link
 * dev.strata.sql.SqlLexer} follows PostgreSQL's "Lexical Structure" chapter (and psql's
 * meta-command syntax), {@link dev.strata.sql.SqlScript} splits a migration file into statements
 * exactly where {@code psql -f} would send them, and {@link dev.strata.sql.SafetyScanner} applies
 * the {@link dev.strata.sql.Rule safety rules} by leading key words.
 *
 * <p>Accuracy is measured against libpg_query (the PostgreSQL parser) with
 * {@code scripts/scanner-accuracy.sh}; throughput with {@code scripts/scanner-bench.sh}.
 */
package dev.strata.sql;
