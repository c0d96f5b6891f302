package dev.quiesce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * The fields of compose.yaml, ops/kubernetes/ and deploy/haproxy.cfg that a deployment depends on, read as the
 * tools read them (no cluster, no Docker engine here: kubeconform is not packaged) and checked against each other
 * and against the application: the settings in application.yaml, the pom's version, the web layer's limits.
 * Each test names the defect it would have caught.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String READINESS = "/actuator/health/readiness";
    private static final String LIVENESS = "/actuator/health/liveness";

    // ---- Compose

    @Test
    void composeChecksPostgresOverTcpNotTheUnixSocket() {
        // On a fresh volume the postgres image first runs a server on its Unix socket only: a socket check
        // reports that one ready, and the instances start before the real server listens.
        List<String> test = strings(path(compose(), "services", "postgres", "healthcheck", "test"));

        assertThat(test).as("healthcheck").contains("pg_isready");
        assertThat(valueAfter(test, "-h")).as("pg_isready -h: a TCP host, not a socket directory")
                .isIn("127.0.0.1", "localhost");
    }

    @Test
    void composeInstancesRestartOnFailureAndStartOnlyOnceTheDatabaseIsHealthy() {
        Map<String, Object> services = map(compose().get("services"));
        List<String> instances = quiesceServices();
        assertThat(instances).as("quiesce services").hasSizeGreaterThanOrEqualTo(2);

        Set<String> ids = new HashSet<>();
        for (String name : instances) {
            Map<String, Object> service = map(services.get(name));
            Map<String, Object> env = map(service.get("environment"));
            assertThat(service.get("restart")).as("%s restart", name).isEqualTo("on-failure");
            URI database = jdbc(string(env.get("SPRING_DATASOURCE_URL")));
            assertThat(services).as("%s: its database host is a service", name).containsKey(database.getHost());
            assertThat(path(service, "depends_on", database.getHost(), "condition")).as("%s depends_on", name)
                    .isEqualTo("service_healthy");
            assertThat(map(services.get(database.getHost()))).as("the database service").containsKey("healthcheck");
            Map<String, Object> postgresEnv = map(path(services, database.getHost(), "environment"));
            assertThat(database.getPath()).as("%s database", name).isEqualTo("/" + postgresEnv.get("POSTGRES_DB"));
            assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(postgresEnv.get("POSTGRES_USER"));
            assertThat(string(service.get("image"))).as("%s image", name).isEqualTo("quiesce:" + pomVersion());

            Duration budget = duration(env.get("QUIESCE_SHUTDOWN_BUDGET"));
            assertThat(duration(service.get("stop_grace_period"))).as("%s stop_grace_period vs budget", name)
                    .isGreaterThan(budget);
            // Told to the application, so that its start-time WARN about a budget too close to it means something.
            assertThat(duration(env.get("QUIESCE_SHUTDOWN_GRACE_PERIOD"))).as("%s grace period told", name)
                    .isEqualTo(duration(service.get("stop_grace_period")));
            assertThat(duration(env.get("QUIESCE_SHUTDOWN_PRE_STOP_DELAY"))).as("%s pre-stop delay", name)
                    .isLessThan(budget);
            assertThat(ids.add(string(env.get("QUIESCE_INSTANCE_ID")))).as("%s has an instance id of its own", name)
                    .isTrue();
        }
    }

    @Test
    void haproxyBalancesTheComposeInstancesOnTheirPortAndReadsTheConfigurationInTheRepository() {
        Map<String, Object> services = map(compose().get("services"));
        List<String> servers = HaProxy.read().lines("server");
        assertThat(servers).as("server lines").isNotEmpty();

        for (String server : servers) {
            String[] words = server.split("\\s+");
            String host = words[2].substring(0, words[2].indexOf(':'));
            String port = words[2].substring(words[2].indexOf(':') + 1);
            assertThat(quiesceServices()).as("%s: a quiesce service of compose.yaml", server).contains(host);
            assertThat(port).as("%s port", server).isEqualTo(string(path(application(), "server", "port")));
        }
        List<String> lbVolumes = services.values().stream().map(DeploymentFilesTest::map)
                .filter(service -> string(service.get("image")).startsWith("haproxy:"))
                .flatMap(service -> strings(service.get("volumes")).stream()).toList();
        assertThat(lbVolumes).as("haproxy volumes").anyMatch(volume -> volume.startsWith("./deploy/haproxy.cfg:"));
    }

    // ---- Kubernetes

    @Test
    void kubernetesImagesAreVersionedAndTheQuiesceImageIsThePomVersion() {
        List<Map<String, Object>> containers = kubernetes().stream()
                .flatMap(object -> containers(object).stream()).toList();
        assertThat(containers).as("containers in ops/kubernetes").isNotEmpty();

        for (Map<String, Object> container : containers) {
            String image = string(container.get("image"));
            assertThat(image).as("%s image has a tag", container.get("name")).matches("[^:]+:[^:]+");
            assertThat(image).as("%s image", container.get("name")).doesNotEndWith(":latest");
            assertThat(container.get("imagePullPolicy")).as("%s imagePullPolicy", container.get("name"))
                    .isEqualTo("IfNotPresent");
            if (image.startsWith("quiesce:")) {
                assertThat(image).isEqualTo("quiesce:" + pomVersion());
            }
        }
    }

    @Test
    void theDatabaseHostOfTheFleetIsAServiceInOpsKubernetesThatSelectsThePostgresPods() {
        Map<String, Object> quiesce = container(only("deployment.yaml", "Deployment"), "quiesce");
        URI database = jdbc(env(quiesce).get("SPRING_DATASOURCE_URL"));
        Map<String, Object> service = kubernetes().stream()
                .filter(object -> "Service".equals(object.get("kind")))
                .filter(object -> database.getHost().equals(path(object, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no Service " + database.getHost() + " in ops/kubernetes"));
        List<Map<String, Object>> ports = maps(path(service, "spec", "ports"));
        assertThat(ports).as("ports of Service %s", database.getHost())
                .anyMatch(port -> Integer.valueOf(database.getPort()).equals(port.get("port")));

        Map<String, Object> statefulSet = only("postgres.yaml", "StatefulSet");
        Map<String, Object> podLabels = map(path(statefulSet, "spec", "template", "metadata", "labels"));
        assertThat(podLabels).as("PostgreSQL pod labels")
                .containsAllEntriesOf(map(path(service, "spec", "selector")));
        Map<String, Object> postgres = container(statefulSet, "postgres");
        assertThat(database.getPath()).isEqualTo("/" + env(postgres).get("POSTGRES_DB"));
        assertThat(env(quiesce).get("SPRING_DATASOURCE_USERNAME")).isEqualTo(env(postgres).get("POSTGRES_USER"));
        List<String> containerPorts = maps(postgres.get("ports")).stream().map(port -> string(port.get("name")))
                .toList();
        assertThat(ports).allSatisfy(port -> assertThat(containerPorts).as("targetPort").contains(
                string(port.get("targetPort"))));
    }

    @Test
    void everySecretKeyAManifestNeedsIsCreatedByTheCommandItsInstructionsGive() throws IOException {
        String readme = Files.readString(ROOT.resolve("ops/README.md"));
        List<Set<String>> readmeCommands = secretCommands(readme);
        assertThat(readmeCommands).as("kubectl create secret commands in ops/README.md").hasSizeGreaterThanOrEqualTo(2);

        Set<String> fleet = new HashSet<>(requiredSecretKeys("deployment.yaml"));
        fleet.addAll(requiredSecretKeys("postgres.yaml"));
        assertThat(fleet).as("keys the fleet needs").contains("db-password");
        assertThat(secretCommands(text("ops/kubernetes/deployment.yaml"))).as("deployment.yaml's own command")
                .singleElement().satisfies(keys -> assertThat(keys).containsAll(fleet));
        assertThat(readmeCommands.get(0)).as("ops/README.md step 1").containsAll(fleet);

        Set<String> single = requiredSecretKeys("deployment-sqlite.yaml");
        assertThat(secretCommands(text("ops/kubernetes/deployment-sqlite.yaml"))).as("deployment-sqlite.yaml's command")
                .singleElement().satisfies(keys -> assertThat(keys).containsAll(single));
        assertThat(readmeCommands).as("ops/README.md has a command for the single instance")
                .anySatisfy(keys -> assertThat(keys).containsAll(single).doesNotContain("db-password"));
    }

    @Test
    void quiesceProbesAreTheHealthGroupsTheApplicationExposesOnItsPort() {
        Map<String, Object> health = map(path(application(), "management", "endpoint", "health"));
        assertThat(path(health, "probes", "enabled")).as("management.endpoint.health.probes.enabled").isEqualTo(true);
        String serverPort = string(path(application(), "server", "port"));

        for (Map<String, Object> deployment : quiesceDeployments()) {
            Map<String, Object> quiesce = container(deployment, "quiesce");
            String name = string(path(deployment, "metadata", "name"));
            assertThat(path(quiesce, "readinessProbe", "httpGet", "path")).as("%s readiness", name)
                    .isEqualTo(READINESS);
            assertThat(path(quiesce, "livenessProbe", "httpGet", "path")).as("%s liveness", name).isEqualTo(LIVENESS);
            assertThat(path(quiesce, "startupProbe", "httpGet", "path")).as("%s startup", name)
                    .isIn(LIVENESS, READINESS);
            Map<String, Object> http = maps(quiesce.get("ports")).stream()
                    .filter(port -> "http".equals(port.get("name"))).findFirst().orElseThrow();
            assertThat(string(http.get("containerPort"))).as("%s containerPort", name).isEqualTo(serverPort);
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertThat(path(quiesce, probe, "httpGet", "port")).as("%s %s port", name, probe).isEqualTo("http");
            }
            Map<String, Object> annotations = map(path(deployment, "spec", "template", "metadata", "annotations"));
            assertThat(annotations.get("prometheus.io/path")).isEqualTo("/actuator/prometheus");
            assertThat(annotations.get("prometheus.io/port")).isEqualTo(serverPort);
        }
    }

    @Test
    void theGracePeriodOfEveryPodExceedsWhatItsStopMayTake() {
        for (Map<String, Object> deployment : quiesceDeployments()) {
            Map<String, String> env = env(container(deployment, "quiesce"));
            Duration budget = duration(env.get("QUIESCE_SHUTDOWN_BUDGET"));
            Duration grace = Duration.ofSeconds(((Number) path(deployment, "spec", "template", "spec",
                    "terminationGracePeriodSeconds")).longValue());
            assertThat(grace).as("%s terminationGracePeriodSeconds vs budget", path(deployment, "metadata", "name"))
                    .isGreaterThan(budget);
            assertThat(duration(env.get("QUIESCE_SHUTDOWN_GRACE_PERIOD"))).as("%s: the grace period told to the "
                    + "application", path(deployment, "metadata", "name")).isEqualTo(grace);
            assertThat(duration(env.get("QUIESCE_SHUTDOWN_PRE_STOP_DELAY"))).isLessThan(budget);
            assertThat(env.get("QUIESCE_INSTANCE_ID")).as("instance id: set from the pod name").isNull();
            assertThat(path(container(deployment, "quiesce"), "lifecycle", "preStop"))
                    .as("no preStop hook: the pre-stop delay is the application's, inside the budget").isNull();
            assertThat(path(deployment, "spec", "template", "spec", "enableServiceLinks")).isEqualTo(false);
        }
        Map<String, Object> statefulSet = only("postgres.yaml", "StatefulSet");
        String preStop = String.join(" ", strings(path(container(statefulSet, "postgres"), "lifecycle", "preStop",
                "exec", "command")));
        assertThat(preStop).as("PostgreSQL's preStop: a fast shutdown").contains("pg_ctl stop").contains("-m fast");
        Matcher timeout = Pattern.compile("-t (\\d+)").matcher(preStop);
        assertThat(timeout.find()).as("pg_ctl stop -t").isTrue();
        assertThat(((Number) path(statefulSet, "spec", "template", "spec", "terminationGracePeriodSeconds")).intValue())
                .as("PostgreSQL grace period vs pg_ctl's wait").isGreaterThan(Integer.parseInt(timeout.group(1)));
    }

    @Test
    void postgresProbesAskOverTcp() {
        Map<String, Object> postgres = container(only("postgres.yaml", "StatefulSet"), "postgres");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            List<String> command = strings(path(postgres, probe, "exec", "command"));
            assertThat(command).as(probe).contains("pg_isready");
            assertThat(valueAfter(command, "-h")).as("%s pg_isready -h", probe).isIn("127.0.0.1", "localhost");
        }
    }

    @Test
    void theQuiesceServiceAndDisruptionBudgetSelectTheQuiescePodsAndNotTheDatabase() {
        Map<String, Object> fleetPods = map(path(only("deployment.yaml", "Deployment"), "spec", "template", "metadata",
                "labels"));
        Map<String, Object> postgresPods = map(path(only("postgres.yaml", "StatefulSet"), "spec", "template",
                "metadata", "labels"));
        Map<String, Object> service = only("service.yaml", "Service");
        Map<String, Object> pdb = only("pdb.yaml", "PodDisruptionBudget");
        for (Map<String, Object> selector : List.of(map(path(service, "spec", "selector")),
                map(path(pdb, "spec", "selector", "matchLabels")))) {
            assertThat(fleetPods).as("quiesce pods match %s", selector).containsAllEntriesOf(selector);
            assertThat(selector.entrySet()).as("PostgreSQL pods must not match %s", selector)
                    .anyMatch(label -> !label.getValue().equals(postgresPods.get(label.getKey())));
        }
        List<String> named = maps(container(only("deployment.yaml", "Deployment"), "quiesce").get("ports")).stream()
                .map(port -> string(port.get("name"))).toList();
        assertThat(maps(path(service, "spec", "ports"))).allSatisfy(
                port -> assertThat(named).as("targetPort").contains(string(port.get("targetPort"))));
    }

    @Test
    void aReadOnlyRootFilesystemComesWithAWritableTmp() {
        for (Map<String, Object> object : kubernetes()) {
            for (Map<String, Object> container : containers(object)) {
                if (Boolean.TRUE.equals(path(container, "securityContext", "readOnlyRootFilesystem"))) {
                    assertThat(maps(container.get("volumeMounts"))).as("%s mounts", container.get("name"))
                            .anyMatch(mount -> "/tmp".equals(mount.get("mountPath")));
                }
            }
        }
    }

    @Test
    void theSqliteVariantNeverRunsTwoPodsOnOneFile() {
        Map<String, Object> deployment = only("deployment-sqlite.yaml", "Deployment");
        assertThat(path(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat(path(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat(env(container(deployment, "quiesce")).get("SPRING_DATASOURCE_URL")).startsWith("jdbc:sqlite:");
    }

    // ---- HAProxy

    @Test
    void haproxyRetriesOnlyWhatCannotHaveStoredAJob() {
        HaProxy cfg = HaProxy.read();
        List<String> retryOn = cfg.words("retry-on");
        // empty-response, junk-response, response-timeout (and all-retryable-errors, which has them) may replay a
        // POST that quiesce stored before the answer was lost: a second job.
        assertThat(retryOn).as("retry-on").contains("conn-failure").isSubsetOf("conn-failure", "503");
        assertThat(cfg.lines("http-request disable-l7-retry")).as("keyless POSTs: no 503 retry")
                .singleElement().asString().contains("METH_POST").contains("!{ req.hdr(Idempotency-Key) -m found }");
    }

    @Test
    void haproxyHoldsTheLargestRequestQuiesceTakesWholeSoThatItCanBeRetried() {
        HaProxy cfg = HaProxy.read();
        long bufsize = Long.parseLong(cfg.words("tune.bufsize").get(0));
        long maxrewrite = cfg.words("tune.maxrewrite").stream().findFirst().map(Long::parseLong).orElse(1024L);
        long headers = DataSize.parse(string(path(application(), "server", "max-http-request-header-size")))
                .toBytes();
        long body = webConstant("MAX_BODY_BYTES");

        assertThat(bufsize).as("tune.bufsize vs body %d + headers %d + maxrewrite %d", body, headers, maxrewrite)
                .isGreaterThanOrEqualTo(body + headers + maxrewrite);
        assertThat(cfg.lines("option http-buffer-request")).as("whole bodies before sending").isNotEmpty();
    }

    @Test
    void haproxyResolvesTheInstancesAtRunTimeAndWaitsOutALongPoll() {
        HaProxy cfg = HaProxy.read();
        List<String> defaults = cfg.words("default-server");
        assertThat(valueAfter(defaults, "init-addr")).as("init-addr: start without an address").endsWith(",none");
        String resolvers = valueAfter(defaults, "resolvers");
        assertThat(cfg.lines("resolvers")).as("a resolvers section named %s", resolvers)
                .contains("resolvers " + resolvers);

        Duration server = DurationStyle.detectAndParse(cfg.words("timeout server").get(0));
        assertThat(server).as("timeout server vs the longest long poll")
                .isGreaterThan(Duration.ofMillis(webConstant("MAX_WAIT_MS")));
        assertThat(cfg.words("option httpchk")).as("health check").containsExactly("GET", READINESS);
    }

    // ---- the files

    private static Map<String, Object> compose() {
        return yaml("compose.yaml").get(0);
    }

    private static Map<String, Object> application() {
        return yaml("src/main/resources/application.yaml").get(0);
    }

    /** Services of compose.yaml that run the quiesce image. */
    private static List<String> quiesceServices() {
        return map(compose().get("services")).entrySet().stream()
                .filter(service -> string(map(service.getValue()).get("image")).startsWith("quiesce:"))
                .map(Map.Entry::getKey).toList();
    }

    private static List<Map<String, Object>> kubernetes() {
        try (Stream<Path> files = Files.list(ROOT.resolve("ops/kubernetes"))) {
            List<Path> yamls = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yamls).as("ops/kubernetes/*.yaml").isNotEmpty();
            return yamls.stream().flatMap(file -> yaml(ROOT.relativize(file).toString()).stream()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The one object of this kind in ops/kubernetes/FILE. */
    private static Map<String, Object> only(String file, String kind) {
        List<Map<String, Object>> found = yaml("ops/kubernetes/" + file).stream()
                .filter(object -> kind.equals(object.get("kind"))).toList();
        assertThat(found).as("%s in %s", kind, file).hasSize(1);
        return found.get(0);
    }

    private static List<Map<String, Object>> quiesceDeployments() {
        List<Map<String, Object>> deployments = kubernetes().stream()
                .filter(object -> "Deployment".equals(object.get("kind")))
                .filter(object -> containers(object).stream().anyMatch(c -> "quiesce".equals(c.get("name")))).toList();
        assertThat(deployments).as("quiesce Deployments").hasSizeGreaterThanOrEqualTo(2);
        return deployments;
    }

    private static List<Map<String, Object>> containers(Map<String, Object> object) {
        Object containers = path(object, "spec", "template", "spec", "containers");
        return containers == null ? List.of() : maps(containers);
    }

    private static Map<String, Object> container(Map<String, Object> object, String name) {
        return containers(object).stream().filter(container -> name.equals(container.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    /** A container's plain env values (value:), by name. */
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        maps(container.get("env")).stream().filter(entry -> entry.containsKey("value"))
                .forEach(entry -> env.put(string(entry.get("name")), string(entry.get("value"))));
        return env;
    }

    /** Keys of quiesce-secrets that FILE reads without optional: true. */
    private static Set<String> requiredSecretKeys(String file) {
        Set<String> keys = new HashSet<>();
        for (Map<String, Object> object : yaml("ops/kubernetes/" + file)) {
            for (Map<String, Object> container : containers(object)) {
                for (Map<String, Object> entry : maps(container.get("env"))) {
                    Map<String, Object> ref = map(path(entry, "valueFrom", "secretKeyRef"));
                    if (!ref.isEmpty()) {
                        assertThat(ref.get("name")).as("%s: the Secret", file).isEqualTo("quiesce-secrets");
                        if (!Boolean.TRUE.equals(ref.get("optional"))) {
                            keys.add(string(ref.get("key")));
                        }
                    }
                }
            }
        }
        assertThat(keys).as("secret keys %s needs", file).isNotEmpty();
        return keys;
    }

    /** The keys each `kubectl create secret generic quiesce-secrets --from-env-file=<(printf 'k=%s\n...')` creates. */
    private static List<Set<String>> secretCommands(String text) {
        List<Set<String>> commands = new ArrayList<>();
        Matcher command = Pattern
                .compile("create secret generic quiesce-secrets\\s+--from-env-file=<\\(printf '([^']*)'")
                .matcher(text.replaceAll("\\\\\\n#?\\s*", " "));
        while (command.find()) {
            Set<String> keys = new HashSet<>();
            Matcher key = Pattern.compile("(?:^|\\\\n)([a-z-]+)=%s").matcher(command.group(1));
            while (key.find()) {
                keys.add(key.group(1));
            }
            commands.add(keys);
        }
        return commands;
    }

    private static String pomVersion() {
        Matcher version = Pattern.compile("<artifactId>quiesce</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(text("pom.xml"));
        assertThat(version.find()).as("the pom's version").isTrue();
        return version.group(1);
    }

    /** A static int of the web layer (package-private there): the limits HAProxy must hold. */
    private static long webConstant(String name) {
        try {
            Field field = Class.forName("dev.quiesce.web.JobController").getDeclaredField(name);
            field.setAccessible(true);
            return field.getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** deploy/haproxy.cfg as lines without comments, each trimmed. */
    private record HaProxy(List<String> all) {

        static HaProxy read() {
            return new HaProxy(text("deploy/haproxy.cfg").lines().map(line -> line.replaceAll("#.*", "").strip())
                    .filter(line -> !line.isEmpty()).toList());
        }

        List<String> lines(String keyword) {
            return all.stream().filter(line -> line.equals(keyword) || line.startsWith(keyword + " ")).toList();
        }

        /** The words after KEYWORD on its one line. */
        List<String> words(String keyword) {
            List<String> found = lines(keyword);
            assertThat(found).as("lines '%s'", keyword).hasSizeLessThanOrEqualTo(1);
            return found.isEmpty() ? List.of()
                    : List.of(found.get(0).substring(keyword.length()).strip().split("\\s+"));
        }
    }

    // ---- small readers

    private static String text(String file) {
        try {
            return Files.readString(ROOT.resolve(file));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Map<String, Object>> yaml(String file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(text(file))) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    private static Object path(Object node, String... keys) {
        Object at = node;
        for (String key : keys) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(key);
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object node) {
        return node == null ? List.of() : (List<Map<String, Object>>) node;
    }

    private static List<String> strings(Object node) {
        return node == null ? List.of() : ((List<?>) node).stream().map(String::valueOf).toList();
    }

    private static String string(Object node) {
        return node == null ? "" : String.valueOf(node);
    }

    private static String valueAfter(List<String> words, String flag) {
        int at = words.indexOf(flag);
        assertThat(at).as("%s in %s", flag, words).isNotNegative().isLessThan(words.size() - 1);
        return words.get(at + 1);
    }

    private static Duration duration(Object value) {
        assertThat(value).as("a duration").isNotNull();
        return DurationStyle.detectAndParse(string(value));
    }

    /** jdbc:postgresql://host:port/db?... as a URI. */
    private static URI jdbc(String url) {
        assertThat(url).as("datasource URL").startsWith("jdbc:postgresql://");
        return URI.create(url.substring("jdbc:".length()));
    }
}
