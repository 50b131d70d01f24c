package io.conveyor.kubernetes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.conveyor.model.Topology;

/**
 * Conveyor's rules for its rendered Kubernetes manifests (one overlay's documents). Each returns its violations,
 * empty when there are none; KubernetesManifestsTest also shows each one failing on manifests that break it.
 */
final class ManifestRules {

    /** The task-worker's and gateway's timeouts that bound a shutdown, as their application.properties default them. */
    record Timeouts(Duration drain, Duration settle, Duration confirm) {}

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|credential|api_?key).*");
    private static final Pattern URL_WITH_USER = Pattern.compile("[a-z][a-z0-9+.-]*://[^/\\s]*@");

    private ManifestRules() {}

    /** Liveness on /q/health/live, readiness on /q/health/ready, a startup probe, in every container. */
    static List<String> probes(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            for (Map<String, Object> c : containers(deployment)) {
                String where = name(deployment) + "/" + c.get("name");
                if (!"/q/health/live".equals(at(c, "livenessProbe", "httpGet", "path"))) {
                    problems.add(where + ": no liveness probe on /q/health/live");
                }
                if (!"/q/health/ready".equals(at(c, "readinessProbe", "httpGet", "path"))) {
                    problems.add(where + ": no readiness probe on /q/health/ready");
                }
                if (at(c, "startupProbe") == null) {
                    problems.add(where + ": no startup probe");
                }
            }
        }
        return problems;
    }

    /** Memory and CPU limits and a memory request in every container. */
    static List<String> resources(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            for (Map<String, Object> c : containers(deployment)) {
                String where = name(deployment) + "/" + c.get("name");
                for (String path : List.of("limits.memory", "limits.cpu", "requests.memory")) {
                    String[] keys = path.split("\\.");
                    if (at(c, "resources", keys[0], keys[1]) == null) {
                        problems.add(where + ": no resources." + path);
                    }
                }
            }
        }
        return problems;
    }

    /**
     * The grace period outlasts the shutdown: a worker's drain plus twice its settle timeout (README, "Graceful
     * shutdown"), a gateway's preStop pause plus a publish's confirm timeout. A ConfigMap or env setting of the
     * timeouts overrides application.properties' defaults.
     */
    static List<String> gracePeriods(List<Map<String, Object>> docs, Timeouts defaults) {
        List<String> problems = new ArrayList<>();
        Map<String, String> config = configMapData(docs);
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            Object grace = at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
            if (!(grace instanceof Number seconds)) {
                problems.add(name(deployment) + ": no terminationGracePeriodSeconds");
                continue;
            }
            Duration shutdown;
            if (isWorker(deployment)) {
                Duration drain = setting(deployment, config, "CONVEYOR_DRAIN_TIMEOUT", defaults.drain());
                Duration settle = setting(deployment, config, "CONVEYOR_SETTLE_TIMEOUT", defaults.settle());
                shutdown = drain.plus(settle.multipliedBy(2));
            } else {
                Duration confirm = setting(deployment, config, "CONVEYOR_CONFIRM_TIMEOUT", defaults.confirm());
                shutdown = confirm.plus(preStopSleep(deployment));
            }
            if (Duration.ofSeconds(seconds.longValue()).compareTo(shutdown) <= 0) {
                problems.add(name(deployment) + ": terminationGracePeriodSeconds " + seconds
                        + " must be longer than its shutdown, " + shutdown.toSeconds() + " s");
            }
        }
        return problems;
    }

    /** Non-root, no privilege escalation, no capabilities, a read-only root, the runtime's seccomp profile. */
    static List<String> securityContexts(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            Map<String, Object> pod = map(at(deployment, "spec", "template", "spec", "securityContext"));
            if (!Boolean.TRUE.equals(pod.get("runAsNonRoot"))) {
                problems.add(name(deployment) + ": runAsNonRoot is not true");
            }
            if (!"RuntimeDefault".equals(at(pod, "seccompProfile", "type"))) {
                problems.add(name(deployment) + ": seccompProfile is not RuntimeDefault");
            }
            for (Map<String, Object> c : containers(deployment)) {
                String where = name(deployment) + "/" + c.get("name");
                Map<String, Object> sc = map(c.get("securityContext"));
                if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                    problems.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
                    problems.add(where + ": readOnlyRootFilesystem is not true");
                }
                if (!list(at(sc, "capabilities", "drop")).contains("ALL")) {
                    problems.add(where + ": capabilities do not drop ALL");
                }
            }
        }
        return problems;
    }

    /** Exactly one PodDisruptionBudget selects each Deployment's pods. */
    static List<String> disruptionBudgets(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            Map<String, Object> labels = map(at(deployment, "spec", "template", "metadata", "labels"));
            long budgets = kind(docs, "PodDisruptionBudget").stream()
                    .filter(pdb -> {
                        Map<String, Object> selector = map(at(pdb, "spec", "selector", "matchLabels"));
                        return !selector.isEmpty()
                                && selector.entrySet().stream()
                                        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
                    })
                    .count();
            if (budgets != 1) {
                problems.add(name(deployment) + ": " + budgets + " PodDisruptionBudgets select its pods, not 1");
            }
        }
        return problems;
    }

    /**
     * Each worker pool has a ScaledObject on itself, from 1 replica, whose rabbitmq triggers (QueueLength, with a
     * TriggerAuthentication of the manifests) name exactly the queues of its CONVEYOR_WORKER_TYPES; the pool's
     * Deployment sets no replica count of its own.
     */
    static List<String> scaling(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        Set<String> authentications = kind(docs, "TriggerAuthentication").stream()
                .map(ManifestRules::name)
                .collect(Collectors.toSet());
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            if (!isWorker(deployment)) {
                continue;
            }
            String pool = name(deployment);
            if (at(deployment, "spec", "replicas") != null) {
                problems.add(pool + ": sets spec.replicas, which its ScaledObject owns");
            }
            List<Map<String, Object>> scalers = kind(docs, "ScaledObject").stream()
                    .filter(s -> pool.equals(at(s, "spec", "scaleTargetRef", "name")))
                    .toList();
            if (scalers.size() != 1) {
                problems.add(pool + ": " + scalers.size() + " ScaledObjects target it, not 1");
                continue;
            }
            Map<String, Object> scaler = scalers.getFirst();
            if (!Objects.equals(1, at(scaler, "spec", "minReplicaCount"))) {
                problems.add(pool + ": minReplicaCount is not 1");
            }
            Set<String> expected = types(deployment).stream()
                    .map(t -> Topology.TASK_QUEUE_PREFIX + t)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            List<String> queues = new ArrayList<>();
            for (Object o : list(at(scaler, "spec", "triggers"))) {
                Map<String, Object> trigger = map(o);
                queues.add(String.valueOf(at(trigger, "metadata", "queueName")));
                if (!"rabbitmq".equals(trigger.get("type")) || !"QueueLength".equals(at(trigger, "metadata", "mode"))) {
                    problems.add(pool + ": a trigger is not rabbitmq in mode QueueLength: " + trigger);
                }
                if (!authentications.contains(String.valueOf(at(trigger, "authenticationRef", "name")))) {
                    problems.add(pool + ": a trigger's authenticationRef names no TriggerAuthentication: " + trigger);
                }
            }
            if (queues.size() != expected.size() || !expected.equals(new LinkedHashSet<>(queues))) {
                problems.add(pool + ": triggers on " + queues + ", its types' queues are " + expected);
            }
        }
        return problems;
    }

    /** Every task type of the catalogue is consumed by some pool. */
    static List<String> everyTypeConsumed(List<Map<String, Object>> docs, Collection<String> catalogue) {
        Set<String> consumed = kind(docs, "Deployment").stream()
                .filter(ManifestRules::isWorker)
                .flatMap(d -> types(d).stream())
                .collect(Collectors.toSet());
        return catalogue.stream()
                .filter(t -> !consumed.contains(t))
                .map(t -> t + ": no worker pool consumes it")
                .toList();
    }

    /**
     * ConfigMaps hold no credentials: no key that names one, no URL with a user, no value of a Secret. Credentials
     * reach the apps as files (the *_FILE variables, which must point into a mounted Secret), never as values.
     */
    static List<String> noSecretsInConfigMaps(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        Set<String> secretValues = new LinkedHashSet<>();
        for (Map<String, Object> secret : kind(docs, "Secret")) {
            // A user name is no credential by itself, and a short one (conveyor) is found in many settings.
            map(secret.get("data")).entrySet().stream()
                    .filter(e -> !e.getKey().equals("username"))
                    .forEach(e -> secretValues.add(decode(e.getValue())));
        }
        for (Map<String, Object> configMap : kind(docs, "ConfigMap")) {
            for (Map.Entry<String, Object> e : map(configMap.get("data")).entrySet()) {
                String where = name(configMap) + " " + e.getKey();
                String value = String.valueOf(e.getValue());
                if (SECRET_KEY.matcher(e.getKey()).matches() && !e.getKey().endsWith("_FILE")) {
                    problems.add(where + ": a credential's name");
                }
                if (URL_WITH_USER.matcher(value).find()) {
                    problems.add(where + ": a URL with credentials");
                }
                secretValues.stream()
                        .filter(s -> !s.isEmpty() && value.contains(s))
                        .forEach(s -> problems.add(where + ": holds a Secret's value"));
            }
        }
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            Map<String, String> mounts = secretMounts(deployment);
            for (Map<String, Object> c : containers(deployment)) {
                for (Object o : list(c.get("env"))) {
                    Map<String, Object> env = map(o);
                    String envName = String.valueOf(env.get("name"));
                    if (SECRET_KEY.matcher(envName).matches() && !envName.endsWith("_FILE")) {
                        problems.add(name(deployment) + " " + envName + ": a credential in the environment");
                    }
                    if (envName.endsWith("_FILE")) {
                        String file = String.valueOf(env.get("value"));
                        boolean mounted = mounts.keySet().stream().anyMatch(dir -> file.startsWith(dir + "/"));
                        if (!mounted) {
                            problems.add(name(deployment) + " " + envName + ": " + file + " is in no mounted Secret");
                        }
                    }
                }
            }
        }
        return problems;
    }

    private static String decode(Object base64) {
        byte[] bytes = Base64.getDecoder().decode(String.valueOf(base64).replaceAll("\\s", ""));
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }

    /** conveyor-config names the brokers and Redis, with no more quorum replicas than broker nodes. */
    static List<String> stores(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        Map<String, String> config = configMapData(docs);
        String addresses = config.getOrDefault("RABBITMQ_ADDRESSES", "");
        if (!addresses.matches("[^,:\\s]+:\\d+(,[^,:\\s]+:\\d+)*")) {
            problems.add("RABBITMQ_ADDRESSES is not a host:port list: '" + addresses + "'");
        }
        boolean sentinels = config.containsKey("REDIS_SENTINELS") && config.containsKey("REDIS_MASTER_NAME");
        if (sentinels == config.containsKey("REDIS_URL")) {
            problems.add("set either REDIS_SENTINELS with REDIS_MASTER_NAME, or REDIS_URL");
        }
        String replicas = config.getOrDefault("CONVEYOR_QUORUM_REPLICAS", "");
        if (!replicas.matches("\\d+") || Integer.parseInt(replicas) > addresses.split(",").length) {
            problems.add("CONVEYOR_QUORUM_REPLICAS '" + replicas + "' exceeds the broker nodes: " + addresses);
        }
        return problems;
    }

    // ---- reading the documents ----

    static List<Map<String, Object>> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    static String name(Map<String, Object> doc) {
        return String.valueOf(at(doc, "metadata", "name"));
    }

    static boolean isWorker(Map<String, Object> deployment) {
        return "worker".equals(at(deployment, "spec", "template", "metadata", "labels", "app.kubernetes.io/component"));
    }

    static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return list(at(deployment, "spec", "template", "spec", "containers")).stream()
                .map(ManifestRules::map)
                .toList();
    }

    static List<String> types(Map<String, Object> deployment) {
        for (Map<String, Object> c : containers(deployment)) {
            for (Object o : list(c.get("env"))) {
                Map<String, Object> env = map(o);
                if ("CONVEYOR_WORKER_TYPES".equals(env.get("name"))) {
                    return List.of(String.valueOf(env.get("value")).split(","));
                }
            }
        }
        return List.of();
    }

    /** The data of the ConfigMaps the Deployments read (conveyor-config, with its hash suffix). */
    private static Map<String, String> configMapData(List<Map<String, Object>> docs) {
        return kind(docs, "ConfigMap").stream()
                .filter(c -> name(c).startsWith("conveyor-config"))
                .flatMap(c -> map(c.get("data")).entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()), (a, b) -> b));
    }

    private static Duration setting(
            Map<String, Object> deployment, Map<String, String> config, String variable, Duration fallback) {
        String value = config.get(variable);
        for (Map<String, Object> c : containers(deployment)) {
            for (Object o : list(c.get("env"))) {
                if (variable.equals(map(o).get("name"))) {
                    value = String.valueOf(map(o).get("value"));
                }
            }
        }
        return value == null ? fallback : duration(value);
    }

    private static Duration preStopSleep(Map<String, Object> deployment) {
        Duration total = Duration.ZERO;
        for (Map<String, Object> c : containers(deployment)) {
            List<Object> command = list(at(c, "lifecycle", "preStop", "exec", "command"));
            if (command.size() == 2 && "sleep".equals(command.get(0))) {
                total = total.plusSeconds(Long.parseLong(String.valueOf(command.get(1))));
            }
        }
        return total;
    }

    /** A Quarkus duration as application.properties and the environment write it: 30S, PT30S, 500ms. */
    static Duration duration(String value) {
        String v = value.strip();
        if (v.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        return Duration.parse(v.startsWith("P") ? v : "PT" + v);
    }

    /** mountPath to Secret volume name, for the Secret volumes a Deployment's containers mount. */
    private static Map<String, String> secretMounts(Map<String, Object> deployment) {
        Set<String> secretVolumes = list(at(deployment, "spec", "template", "spec", "volumes")).stream()
                .map(ManifestRules::map)
                .filter(v -> v.get("secret") != null)
                .map(v -> String.valueOf(v.get("name")))
                .collect(Collectors.toSet());
        return containers(deployment).stream()
                .flatMap(c -> list(c.get("volumeMounts")).stream().map(ManifestRules::map))
                .filter(m -> secretVolumes.contains(String.valueOf(m.get("name"))))
                .collect(Collectors.toMap(
                        m -> String.valueOf(m.get("mountPath")), m -> String.valueOf(m.get("name")), (a, b) -> a));
    }

    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
