package io.conveyor.compose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Our own rules for an interpolated docker-compose.yml, beyond the schema. Each returns the violations it finds, one
 * line each, so that a test can show that a bad file fails it.
 */
final class ComposeRules {

    /** What one resize_image task may hold at its peak (docker-compose.yml's worker-images comment shows the sum). */
    static final long DECODE_MIB = 300;

    /** The worker itself, besides its tasks. */
    static final long APP_MIB = 100;

    /**
     * A release tag (x.y.z, optionally v-prefixed and suffixed: 4.1.4-management, 17.0.16_8-jre), PostgreSQL's
     * major.minor (17.6: its releases have two numbers since version 10), or a digest.
     */
    private static final Pattern PINNED = Pattern.compile("(?:.*:v?\\d+\\.\\d+\\.\\d+(?:[-._+].*)?"
            + "|(?:.*/)?postgres:\\d+\\.\\d+(?:-.*)?|.*@sha256:[0-9a-f]{64})");

    private static final Pattern MEMORY =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmg]?)b?", Pattern.CASE_INSENSITIVE);
    private static final Pattern MAX_RAM = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");
    private static final Pattern FROM = Pattern.compile("(?im)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern ARG_DEFAULT = Pattern.compile("(?m)^ARG\\s+([A-Za-z_][A-Za-z0-9_]*)=(\\S+)");

    /** The Dockerfile's base-image arguments, which docker-compose.yml passes with the same defaults. */
    static final List<String> BASE_IMAGE_ARGS = List.of("BUILD_IMAGE", "RUNTIME_IMAGE");

    private ComposeRules() {}

    /** Every published port binds 127.0.0.1, in the short syntax or the long one. */
    static List<String> portsOnLoopbackOnly(Map<String, Object> compose) {
        List<String> found = new ArrayList<>();
        services(compose)
                .forEach((name, service) -> list(service.get("ports")).forEach(port -> {
                    String hostIp =
                            port instanceof Map<?, ?> p ? String.valueOf(p.get("host_ip")) : String.valueOf(port);
                    if (!hostIp.startsWith("127.0.0.1")) {
                        found.add(name + ": port " + port + " is not bound to 127.0.0.1");
                    }
                }));
        return found;
    }

    /** Every image pulled from a registry, in the compose file and the Dockerfile, names a release or a digest. */
    static List<String> imagesPinned(Map<String, Object> compose, String dockerfile) {
        List<String> found = new ArrayList<>();
        Set<String> built = builtImages(compose).keySet();
        services(compose).forEach((name, service) -> {
            String image = String.valueOf(service.get("image"));
            if (!built.contains(image) && !PINNED.matcher(image).matches()) {
                found.add(name + ": image " + image + " is not pinned to a release");
            }
        });
        List<String> stages = new ArrayList<>();
        Map<String, String> defaults = argDefaults(dockerfile);
        Matcher from = FROM.matcher(dockerfile);
        while (from.find()) {
            String image = ComposeFile.interpolate(from.group(1), name -> defaults.getOrDefault(name, ""));
            if (!stages.contains(image) && !PINNED.matcher(image).matches()) {
                found.add("Dockerfile: FROM " + from.group(1) + " (" + image + ") is not pinned to a release");
            }
            stages.add(from.group(2));
        }
        return found;
    }

    /**
     * The compose file builds on the Dockerfile's own bases unless told otherwise: each service that builds passes
     * BUILD_IMAGE and RUNTIME_IMAGE with the Dockerfile's defaults (so one place cannot be updated without the other).
     */
    static List<String> buildBasesAreTheDockerfiles(Map<String, Object> compose, String dockerfile) {
        List<String> found = new ArrayList<>();
        Map<String, String> defaults = argDefaults(dockerfile);
        services(compose).forEach((name, service) -> {
            if (service.get("build") == null) {
                return;
            }
            Map<String, Object> args = map(map(service.get("build")).get("args"));
            for (String arg : BASE_IMAGE_ARGS) {
                if (!defaults.containsKey(arg)) {
                    found.add("Dockerfile: no default for ARG " + arg);
                } else if (!defaults.get(arg).equals(String.valueOf(args.get(arg)))) {
                    found.add(name + ": build argument " + arg + " is " + args.get(arg) + ", the Dockerfile's is "
                            + defaults.get(arg));
                }
            }
        });
        return found;
    }

    /** The Dockerfile's {@code ARG NAME=default} lines. */
    private static Map<String, String> argDefaults(String dockerfile) {
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher arg = ARG_DEFAULT.matcher(dockerfile);
        while (arg.find()) {
            defaults.putIfAbsent(arg.group(1), arg.group(2));
        }
        return defaults;
    }

    /** Each image tag is built by one service at most, and the images built here are never pulled. */
    static List<String> eachImageBuiltOnce(Map<String, Object> compose) {
        List<String> found = new ArrayList<>();
        builtImages(compose).forEach((image, builders) -> {
            if (builders.size() > 1) {
                found.add(image + " is built by " + builders + ": build it in one service, reuse it in the others");
            }
            services(compose).forEach((name, service) -> {
                if (image.equals(service.get("image")) && !"never".equals(service.get("pull_policy"))) {
                    found.add(name + ": " + image + " is built here, so it needs pull_policy: never");
                }
            });
        });
        return found;
    }

    /** Every service has a memory limit. */
    static List<String> memoryLimited(Map<String, Object> compose) {
        List<String> found = new ArrayList<>();
        services(compose).forEach((name, service) -> {
            if (memoryLimitMib(service) <= 0) {
                found.add(name + " has no mem_limit");
            }
        });
        return found;
    }

    /**
     * No guest account: the broker creates the .env user, each app connects as that user, with Redis's password;
     * no value anywhere is "guest".
     */
    static List<String> noGuest(Map<String, Object> compose) {
        List<String> found = new ArrayList<>();
        Map<String, String> broker = environment(service(compose, "rabbitmq"));
        String user = broker.get("RABBITMQ_DEFAULT_USER");
        String password = broker.get("RABBITMQ_DEFAULT_PASS");
        if (user == null || user.isBlank() || password == null || password.isBlank()) {
            found.add("rabbitmq: RABBITMQ_DEFAULT_USER and RABBITMQ_DEFAULT_PASS must be set");
        }
        String redisPassword = redisPassword(service(compose, "redis"));
        if (redisPassword == null || redisPassword.isBlank()) {
            found.add("redis: no --requirepass");
        }
        appServices(compose).forEach((name, service) -> {
            Map<String, String> env = environment(service);
            if (!String.valueOf(user).equals(env.get("RABBITMQ_USERNAME"))
                    || !String.valueOf(password).equals(env.get("RABBITMQ_PASSWORD"))) {
                found.add(name + ": RABBITMQ_USERNAME/RABBITMQ_PASSWORD are not the broker's .env user");
            }
            if (!String.valueOf(env.get("REDIS_URL")).startsWith("redis://:" + redisPassword + "@")) {
                found.add(name + ": REDIS_URL does not carry Redis's password");
            }
        });
        if (strings(compose).anyMatch(s -> s.strip().equalsIgnoreCase("guest"))) {
            found.add("a value is \"guest\"");
        }
        return found;
    }

    /** The volume the workers write artifacts to and the gateway serves them from. */
    static final String ARTIFACTS_VOLUME = "artifacts";

    /**
     * One artifacts volume: each worker mounts it, writable, where its {@code CONVEYOR_ARTIFACT_DIR} points; the
     * gateway mounts it too, read-only, where its own {@code CONVEYOR_ARTIFACT_DIR} points, to serve the files.
     */
    static List<String> artifactsShared(Map<String, Object> compose) {
        List<String> found = new ArrayList<>();
        Map<String, Map<String, Object>> workers = workers(compose);
        appServices(compose).forEach((name, service) -> {
            String dir = environment(service).get("CONVEYOR_ARTIFACT_DIR");
            if (dir == null || dir.isBlank()) {
                found.add(name + ": CONVEYOR_ARTIFACT_DIR is not set");
                return;
            }
            Mount mount = mounts(service).stream()
                    .filter(m -> m.target().equals(dir))
                    .findFirst()
                    .orElse(null);
            boolean writes = workers.containsKey(name);
            if (mount == null || !ARTIFACTS_VOLUME.equals(mount.source())) {
                found.add(name + ": the " + ARTIFACTS_VOLUME + " volume is not mounted at " + dir);
            } else if (writes && mount.readOnly()) {
                found.add(name + " writes artifacts but mounts " + dir + " read-only");
            } else if (!writes && !mount.readOnly()) {
                found.add(name + " only reads artifacts: mount " + dir + " read-only");
            }
        });
        return found;
    }

    /** One entry of a service's {@code volumes}, in the short syntax or the long one. */
    record Mount(String source, String target, boolean readOnly) {}

    static List<Mount> mounts(Map<String, Object> service) {
        List<Mount> mounts = new ArrayList<>();
        for (Object volume : list(service.get("volumes"))) {
            if (volume instanceof Map<?, ?> m) {
                mounts.add(new Mount(
                        String.valueOf(m.get("source")),
                        String.valueOf(m.get("target")),
                        Boolean.TRUE.equals(m.get("read_only"))));
            } else {
                String[] parts = String.valueOf(volume).split(":");
                if (parts.length >= 2) {
                    boolean readOnly = parts.length > 2
                            && Arrays.asList(parts[2].split(",")).contains("ro");
                    mounts.add(new Mount(parts[0], parts[1], readOnly));
                }
            }
        }
        return mounts;
    }

    /**
     * The seed document's curl works from the host: the gateway publishes 127.0.0.1:8080, has no keys file (protected
     * mode), and trusts the network's gateway address, which requests from the host come from.
     */
    static List<String> seedRequestServedFromTheHost(Map<String, Object> compose) {
        List<String> found = new ArrayList<>();
        Map<String, Object> gateway = service(compose, "api-gateway");
        if (!list(gateway.get("ports")).contains("127.0.0.1:8080:8080")) {
            found.add("api-gateway does not publish 127.0.0.1:8080:8080");
        }
        Map<String, String> env = environment(gateway);
        if (env.containsKey("CONVEYOR_API_KEYS_FILE")) {
            found.add("api-gateway: a keys file turns protected mode off, and the seed request would need a key");
        }
        List<String> local = Arrays.stream(
                        String.valueOf(env.get("CONVEYOR_LOCAL_NETWORKS")).split(","))
                .map(String::strip)
                .toList();
        Map<String, Object> network = map(map(compose.get("networks")).get("default"));
        List<Object> subnets = list(map(network.get("ipam")).get("config"));
        if (subnets.isEmpty()) {
            found.add("the default network has no fixed subnet: its gateway address is unknown");
        }
        for (Object subnet : subnets) {
            String address = String.valueOf(map(subnet).get("gateway"));
            if (!local.contains(address + "/32")) {
                found.add("CONVEYOR_LOCAL_NETWORKS " + local + " lacks the network's gateway " + address + "/32");
            }
        }
        return found;
    }

    /** Workers that may take send_email, and they alone, get Mailpit: its address and a dependency on it. */
    static List<String> mailpitOnlyForMail(Map<String, Object> compose) {
        List<String> found = new ArrayList<>();
        Map<String, Map<String, Object>> workers = workers(compose);
        services(compose).forEach((name, service) -> {
            boolean sendsMail = workers.containsKey(name) && consumes(service, "send_email");
            boolean needsMailpit = dependsOn(service).contains("mailpit");
            boolean smtp = "mailpit".equals(environment(service).get("SMTP_HOST"));
            if (sendsMail && !(needsMailpit && smtp)) {
                found.add(name + " sends mail but lacks SMTP_HOST: mailpit or its dependency on mailpit");
            } else if (!sendsMail && (needsMailpit || smtp)) {
                found.add(name + " sends no mail but depends on Mailpit");
            }
        });
        return found;
    }

    /** The service of the database that db_query reads, and the variable of its read-only role's password. */
    static final String DATABASE = "postgres";

    static final String READER_PASSWORD = "CONVEYOR_DB_PASSWORD";

    /**
     * The queries and their database: the gateway reads the queries (read-only, where its {@code
     * CONVEYOR_QUERIES_DIR} points); a worker that runs them (db_query, generate_report) reads the same directory and
     * has the database: a JDBC URL to the postgres service, a role other than the superuser, the password the
     * database gave that role, and a dependency on the database's health. A worker that runs no query has neither.
     */
    static List<String> queriesAndDatabase(Map<String, Object> compose) {
        List<String> found = new ArrayList<>();
        Mount gatewayQueries = null;
        for (var gateway : running(compose, "api-gateway").entrySet()) {
            gatewayQueries = queriesMount(gateway.getKey(), gateway.getValue(), found);
        }
        String readerPassword = environment(service(compose, DATABASE)).get(READER_PASSWORD);
        if (readerPassword == null || readerPassword.isBlank()) {
            found.add(DATABASE + ": " + READER_PASSWORD + " (the reader's password) is not set");
        }
        for (var worker : workers(compose).entrySet()) {
            String name = worker.getKey();
            Map<String, Object> service = worker.getValue();
            Map<String, String> env = environment(service);
            boolean runsQueries = consumes(service, "db_query") || consumes(service, "generate_report");
            boolean hasDatabase =
                    env.containsKey("CONVEYOR_DB_URL") || dependsOn(service).contains(DATABASE);
            if (!runsQueries) {
                if (hasDatabase) {
                    found.add(name + " runs no query but has the database");
                }
                continue;
            }
            Mount queries = queriesMount(name, service, found);
            if (queries != null && gatewayQueries != null && !queries.source().equals(gatewayQueries.source())) {
                found.add(name + " reads its queries from " + queries.source() + ", the gateway from "
                        + gatewayQueries.source());
            }
            if (!String.valueOf(env.get("CONVEYOR_DB_URL")).startsWith("jdbc:postgresql://" + DATABASE + ":")) {
                found.add(name + ": CONVEYOR_DB_URL is not a jdbc:postgresql:// URL of the " + DATABASE + " service");
            }
            String user = env.get("CONVEYOR_DB_USERNAME");
            if (user == null || user.isBlank() || user.equals("postgres")) {
                found.add(name + ": CONVEYOR_DB_USERNAME must be the read-only role, not " + user);
            }
            if (readerPassword != null && !readerPassword.equals(env.get(READER_PASSWORD))) {
                found.add(name + ": " + READER_PASSWORD + " is not the one the database gives the reader");
            }
            Object dependency = map(service.get("depends_on")).get(DATABASE);
            if (!"service_healthy".equals(map(dependency).get("condition"))) {
                found.add(name + " runs queries but does not wait for " + DATABASE + " to be healthy");
            }
        }
        return found;
    }

    /** The read-only mount at the service's CONVEYOR_QUERIES_DIR, or null (and a violation) when there is none. */
    private static Mount queriesMount(String name, Map<String, Object> service, List<String> found) {
        String dir = environment(service).get("CONVEYOR_QUERIES_DIR");
        if (dir == null || dir.isBlank()) {
            found.add(name + ": CONVEYOR_QUERIES_DIR is not set");
            return null;
        }
        Mount mount = mounts(service).stream()
                .filter(m -> m.target().equals(dir))
                .findFirst()
                .orElse(null);
        if (mount == null) {
            found.add(name + ": nothing is mounted at CONVEYOR_QUERIES_DIR " + dir);
        } else if (!mount.readOnly()) {
            found.add(name + ": mount the queries at " + dir + " read-only");
        }
        return mount;
    }

    /** A worker that takes resize_image holds its concurrency's decodes in its heap. */
    static List<String> imageDecodesFitTheHeap(Map<String, Object> compose, String dockerfile) {
        List<String> found = new ArrayList<>();
        workers(compose).forEach((name, service) -> {
            if (!consumes(service, "resize_image")) {
                return;
            }
            Map<String, String> env = environment(service);
            int concurrency = Integer.parseInt(env.getOrDefault("CONVEYOR_WORKER_CONCURRENCY", "8"));
            Matcher percent = MAX_RAM.matcher(env.getOrDefault("JAVA_OPTS", dockerfile));
            double heap = memoryLimitMib(service) * (percent.find() ? Double.parseDouble(percent.group(1)) : 25) / 100;
            long needed = concurrency * DECODE_MIB + APP_MIB;
            if (needed > heap) {
                found.add(name + ": " + concurrency + " resize_image tasks need " + needed + " MiB, the heap is "
                        + (long) heap + " MiB");
            }
        });
        return found;
    }

    /** Every task type has a worker service that consumes it. */
    static List<String> everyTypeConsumed(Map<String, Object> compose, Collection<String> types) {
        Collection<Map<String, Object>> workers = workers(compose).values();
        return types.stream()
                .filter(type -> workers.stream().noneMatch(w -> consumes(w, type)))
                .map(type -> "no worker service consumes " + type)
                .toList();
    }

    static Map<String, Map<String, Object>> services(Map<String, Object> compose) {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
        return services;
    }

    static Map<String, Object> service(Map<String, Object> compose, String name) {
        return services(compose).getOrDefault(name, Map.of());
    }

    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new HashMap<>();
        Object value = service.get("environment");
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
            list(value).stream()
                    .map(String::valueOf)
                    .map(e -> e.split("=", 2))
                    .forEach(kv -> env.put(kv[0], kv.length > 1 ? kv[1] : null));
        }
        return env;
    }

    /** Image tag → the services that build it. */
    private static Map<String, List<String>> builtImages(Map<String, Object> compose) {
        Map<String, List<String>> built = new LinkedHashMap<>();
        services(compose).forEach((name, service) -> {
            if (service.containsKey("build")) {
                built.computeIfAbsent(String.valueOf(service.get("image")), i -> new ArrayList<>())
                        .add(name);
            }
        });
        return built;
    }

    /** The services that run an image built from the given Dockerfile MODULE. */
    private static Map<String, Map<String, Object>> running(Map<String, Object> compose, String module) {
        Set<String> images = services(compose).values().stream()
                .filter(s -> module.equals(map(map(s.get("build")).get("args")).get("MODULE")))
                .map(s -> String.valueOf(s.get("image")))
                .collect(Collectors.toSet());
        Map<String, Map<String, Object>> running = new LinkedHashMap<>();
        services(compose).forEach((name, s) -> {
            if (images.contains(String.valueOf(s.get("image")))) {
                running.put(name, s);
            }
        });
        return running;
    }

    private static Map<String, Map<String, Object>> workers(Map<String, Object> compose) {
        return running(compose, "task-worker");
    }

    private static Map<String, Map<String, Object>> appServices(Map<String, Object> compose) {
        Map<String, Map<String, Object>> apps = new LinkedHashMap<>(running(compose, "api-gateway"));
        apps.putAll(workers(compose));
        return apps;
    }

    private static boolean consumes(Map<String, Object> worker, String type) {
        List<String> types = Arrays.stream(environment(worker)
                        .getOrDefault("CONVEYOR_WORKER_TYPES", "all")
                        .split(","))
                .map(String::strip)
                .toList();
        return types.contains("all") || types.contains(type);
    }

    private static Collection<String> dependsOn(Map<String, Object> service) {
        Object value = service.get("depends_on");
        return value instanceof Map<?, ?> m
                ? map(m).keySet()
                : list(value).stream().map(String::valueOf).toList();
    }

    private static String redisPassword(Map<String, Object> redis) {
        List<Object> command = list(redis.get("command"));
        int i = command.indexOf("--requirepass");
        return i >= 0 && i + 1 < command.size() ? String.valueOf(command.get(i + 1)) : null;
    }

    /** mem_limit (or deploy.resources.limits.memory) in MiB; 0 when there is none. */
    static long memoryLimitMib(Map<String, Object> service) {
        Object limit = service.getOrDefault(
                "mem_limit",
                map(map(map(service.get("deploy")).get("resources")).get("limits"))
                        .get("memory"));
        Matcher m = MEMORY.matcher(String.valueOf(limit).strip());
        if (limit == null || !m.matches()) {
            return 0;
        }
        double value = Double.parseDouble(m.group(1));
        return (long)
                switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "g" -> value * 1024;
                    case "m" -> value;
                    case "k" -> value / 1024;
                    default -> value / (1024 * 1024);
                };
    }

    private static Stream<String> strings(Object node) {
        if (node instanceof Map<?, ?> m) {
            return m.values().stream().flatMap(ComposeRules::strings);
        }
        if (node instanceof List<?> l) {
            return l.stream().flatMap(ComposeRules::strings);
        }
        return node instanceof String s ? Stream.of(s) : Stream.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
