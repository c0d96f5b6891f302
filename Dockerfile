# syntax=docker/dockerfile:1
# quiesce container image.
#   docker build -t quiesce .
#   docker run -p 8080:8080 -v quiesce-data:/data quiesce
# `docker stop` sends SIGTERM and waits 10 s; quiesce's stop budget (8 s by default) fits in that,
# and the exit status says how the stop went (0 clean, 75 budget ran out).

# ---- 1. build: JDK 17 (the project's Java level) and the project's own Maven wrapper ----------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Wrapper and pom first, sources last: editing the sources does not invalidate the layers above.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# Dependency layer: Maven (fetched by the wrapper) and every plugin and dependency the build needs go into
# ~/.m2 in this layer, which changes only with the pom. A CI builder that keeps or imports layer caches
# (docker build --cache-from, buildx --cache-to/--cache-from) reuses it; a cache mount would not survive
# an ephemeral builder. mvnw needs no curl/wget here: it falls back to a Java downloader.
RUN chmod +x mvnw && ./mvnw -B -q dependency:go-offline
COPY src/ src/
# Offline: everything was fetched in the layer above, so a source change downloads nothing.
RUN ./mvnw -B -q -o package -DskipTests && \
    cp target/quiesce-*.jar /application.jar

# ---- 2. extract: Spring Boot's layered, AOT-cache-friendly layout (application.jar + lib/) ----------
# Same JRE image as the runtime, so the tools jar mode runs exactly where the result will.
FROM eclipse-temurin:25-jre AS extract
WORKDIR /builder
COPY --from=build /application.jar application.jar
RUN java -Djarmode=tools -jar application.jar extract --layers --destination extracted

# ---- 3. runtime: Temurin 25 JRE (Ubuntu) with an AOT cache ------------------------------------------
# Java 25 runs the Java 17 bytecode unchanged and adds the AOT cache (JEP 483/514/515), which
# roughly halves the start (see bench/README.md for this machine's figures).
FROM eclipse-temurin:25-jre
# The JRE images ship neither curl nor wget (adoptium/adoptium-support#1413); curl serves the
# HEALTHCHECK below. --no-install-recommends and the list cleanup keep it to a few MB.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# A dedicated unprivileged user; the application files stay root-owned (read-only for it),
# only /data (the SQLite store) is its own.
RUN groupadd --system --gid 10001 quiesce \
    && useradd --system --uid 10001 --gid quiesce --home-dir /application --shell /usr/sbin/nologin quiesce \
    && mkdir -p /data && chown quiesce:quiesce /data
WORKDIR /application
# One COPY per layer, least to most often changed: a code change re-ships only the last ones.
COPY --from=extract /builder/extracted/dependencies/ ./
COPY --from=extract /builder/extracted/spring-boot-loader/ ./
COPY --from=extract /builder/extracted/snapshot-dependencies/ ./
COPY --from=extract /builder/extracted/application/ ./
# AOT cache training run (JDK 25 one-step form): the context is refreshed, not started
# (-Dspring.context.exit=onRefresh), so no port is opened and nothing is scheduled; it still
# opens a store and runs the migrations, so it gets a throwaway SQLite file.
# The same JVM flags as the ENTRYPOINT: a cache made with other flags may be rejected. In particular
# the cache records UseCompressedOops, and a JVM whose setting differs refuses it ("The saved state of
# UseCompressedOops and UseCompressedClassPointers is different from runtime"). Both runs therefore say
# -XX:+UseCompressedOops, and the training run is sized as a 1 GiB container (-XX:MaxRAM=1g) whatever
# the build host's memory: unbounded, the heap comes from the build host (75 % of it), and above ~43 GB
# that is beyond the 32 GB compressed oops can address.
# Clean up in the same step: Spring ends the training run with Runtime.halt, so no delete-on-exit runs,
# and Tomcat's work folders, sqlite-jdbc's extracted native library and the JVM's perf data would stay in
# the layer. The run gets a temp folder of its own (java.io.tmpdir), removed with the perf data.
# Without an engine: bench/aot-cache-check.sh runs this step as written (on an imitated 64 GB host) and
# the ENTRYPOINT in a 1 GiB and a 64 GB container with -XX:AOTMode=on (refuses to start without the cache).
RUN mkdir /tmp/aot-training \
    && java -XX:MaxRAM=1g -XX:MaxRAMPercentage=75 -XX:+UseCompressedOops -XX:+UseSerialGC -Xms48m -Xmn32m \
        -Dspring.aot.enabled=true --enable-native-access=ALL-UNNAMED \
        -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -Djava.io.tmpdir=/tmp/aot-training \
        -Dspring.datasource.url=jdbc:sqlite:/tmp/aot-training/quiesce.db -jar application.jar \
    && rm -rf /tmp/aot-training /tmp/hsperfdata_*
# The durable store lives on the volume; everything else in the image is read-only at run time.
ENV SPRING_DATASOURCE_URL=jdbc:sqlite:/data/quiesce.db
VOLUME /data
USER quiesce:quiesce
EXPOSE 8080
# SIGTERM (Docker's default, stated here on purpose) starts quiesce's staged drain.
STOPSIGNAL SIGTERM
# Readiness, not liveness: it turns 503 as soon as a drain begins. --start-period covers a slow
# start on a busy host; --start-interval (Docker Engine 25+, ignored by older ones) probes
# every second until the first success. SERVER_PORT is honoured if it is overridden.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --start-interval=1s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT:-8080}/actuator/health/readiness" || exit 1
# Exec form: java is PID 1 and receives SIGTERM itself (a shell would not pass it on). It also
# replaces the base image's CA-certificate entrypoint script, which this service does not need.
# MaxRAMPercentage: size the heap from the container's memory limit (the default is 25 %).
# +UseCompressedOops: keep compressed oops on, as in the training run, even where 75 % of the memory is
# more than 32 GB (a container without a limit on a big host); the JVM then caps the heap at about 32 GB
# instead of turning compressed oops off, which would make it refuse the AOT cache.
# UseSerialGC -Xms48m -Xmn32m: quiesce's live heap is small (about 50 MB after load) and does not grow with
# the store (the jobs live in the database), so the serial collector with a 32 MB young generation keeps
# young pauses short and the idle footprint low (the JVM picks the serial collector itself in containers
# under 2 CPUs or 1792 MB). Full collections stop everything on one thread: fine for this small old generation.
# spring.aot.enabled: run the bean definitions Spring AOT generated at build time (no configuration-class
# parsing at start); settings that switch Spring Boot auto-configuration on or off are fixed at build time.
# --enable-native-access: sqlite-jdbc loads its native library with System::load, which JDK 25
# otherwise answers with a "restricted method" warning at every start.
# Extra JVM flags that do not conflict with these: JAVA_TOOL_OPTIONS; other flags (another collector, the plain
# start): `docker run --entrypoint java quiesce <flags> -jar application.jar`. Extra application arguments:
# `docker run quiesce --x=y`.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseCompressedOops", \
            "-XX:+UseSerialGC", "-Xms48m", "-Xmn32m", \
            "-Dspring.aot.enabled=true", "--enable-native-access=ALL-UNNAMED", \
            "-XX:AOTCache=app.aot", "-jar", "application.jar"]
