# syntax=docker/dockerfile:1
#
# Strata image: built with the Maven wrapper on a JDK, run on a JRE as a non-root user.
#
#   docker build -t strata .
#   docker run --rm -e DIRECT_DATABASE_URL='postgres://user:pass@host:5432/db' strata strata apply-all
#
# The launcher is on the PATH as `strata` (/usr/local/bin/strata -> /opt/strata/bin/strata), so
# Fly.io's release command "strata apply-all" and `fly ssh console -C "strata status"` both work.
# The default command serves the HTTP endpoints (/q/health/ready) on $PORT.

# Built on JDK 17 (the project's bytecode level), run on Java 25: its AOT cache (JEP 483/514/515)
# starts Strata about 15 % faster than Java 17 with AppCDS (measured by scripts/benchmark.py;
# see the README's Performance section), which every deploy's release command waits for.
ARG BUILD_JAVA_VERSION=17
ARG JAVA_VERSION=25

# --- build -----------------------------------------------------------------------------------
FROM eclipse-temurin:${BUILD_JAVA_VERSION}-jdk AS build
WORKDIR /build

# Dependency layer: only the build definition, so it is rebuilt when pom.xml or the wrapper
# change, not on every source change. dependency:go-offline fetches the plugins and the
# dependencies; quarkus:go-offline adds what the Quarkus build step resolves on its own (the
# extensions' deployment artifacts). The package step below still runs online, for anything
# either goal misses.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -q dependency:go-offline quarkus:go-offline

COPY src/ src/
# No start-up archive here: it would be for this JDK 17 stage; the runtime stage makes its own.
RUN ./mvnw -B -q package -DskipTests -Dstrata.archive.skip=true

# --- runtime ---------------------------------------------------------------------------------
FROM eclipse-temurin:${JAVA_VERSION}-jre

RUN groupadd --system strata \
    && useradd --system --gid strata --home-dir /opt/strata --no-create-home \
       --shell /usr/sbin/nologin strata

COPY --from=build /build/target/strata.jar /opt/strata/lib/strata.jar
COPY bin/strata /opt/strata/bin/strata

# Start-up archive: on Java 25 the AOT cache strata.aot (on 17-24 an AppCDS archive strata.jsa), of
# the classes loaded and linked, and the methods profiled, while Strata starts; every later start
# is faster. It is created here, with this image's JVM and the same jar path the launcher uses,
# because an archive only works with the exact JVM build and class path that created it (so an
# archive made in the JDK stage under /build would not match). The training run is a dry run
# against an address where nothing listens: it loads the catalog, the SQL scanner, the reactive
# PG client and the error path (it ends with exit 2, as expected) without needing a database; the
# first, plain `strata --version` is a smoke test of the launcher and the jar.
# Without an archive (e.g. a JRE without class data sharing) the launcher runs without one; at run
# time /opt/strata/lib is not writable by the strata user, so the launcher never tries to make one.
RUN chmod 0755 /opt/strata/bin/strata \
    && ln -s /opt/strata/bin/strata /usr/local/bin/strata \
    && strata --version \
    && { STRATA_APPCDS=create strata apply-all --dry-run --connect-timeout 0 \
           --url postgresql://strata@127.0.0.1:1/strata >/dev/null 2>&1 || true; } \
    && for archive in /opt/strata/lib/strata.aot /opt/strata/lib/strata.jsa; do \
           if [ -s "$archive" ]; then echo "start-up archive: $archive"; else rm -f "$archive"; fi; \
       done

ENV PORT=8080
# No embedded PostgreSQL in the image: a release command without a database URL must fail, not
# migrate a throw-away server inside the container and report success.
ENV STRATA_EMBEDDED=off
EXPOSE 8080

USER strata
WORKDIR /opt/strata
CMD ["strata", "serve"]
