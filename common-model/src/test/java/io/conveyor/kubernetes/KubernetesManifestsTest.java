package io.conveyor.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.conveyor.kubernetes.ManifestRules.Timeouts;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;

import static io.conveyor.kubernetes.ManifestRules.at;
import static io.conveyor.kubernetes.ManifestRules.kind;
import static io.conveyor.kubernetes.ManifestRules.list;
import static io.conveyor.kubernetes.ManifestRules.map;
import static io.conveyor.kubernetes.ManifestRules.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes, rendered as {@code kubectl apply -k} renders it (each overlay, with its secret files made from
 * the {@code .example} files beside them), is valid, strictly, against Kubernetes 1.32's and KEDA 2.17's schemas,
 * and keeps Conveyor's rules: probes, limits, grace periods that outlast the drain, locked-down containers, a
 * disruption budget per Deployment, a ScaledObject per pool on exactly its queues, no credentials in ConfigMaps.
 * Each schema check and rule is also shown to fail on manifests that break it.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");
    private static final Path WORK = Path.of("target/kubernetes-manifests").toAbsolutePath();
    private static final List<String> OVERLAYS = List.of("local", "production");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Map<String, List<Map<String, Object>>> RENDERED = new HashMap<>();
    private static Timeouts timeouts;

    @BeforeAll
    static void render() throws IOException {
        Kustomize.deleteTree(WORK);
        for (String overlay : OVERLAYS) {
            Path copy = WORK.resolve("with-secret-files");
            if (!Files.exists(copy)) {
                copyManifests(copy);
            }
            Path secrets = copy.resolve("overlays").resolve(overlay).resolve("secrets");
            for (Path example : examples(secrets)) {
                String file = example.getFileName().toString();
                Files.copy(example, secrets.resolve(file.substring(0, file.length() - ".example".length())));
            }
            RENDERED.put(overlay, parse(Kustomize.build(copy.resolve("overlays").resolve(overlay))));
        }
        timeouts = new Timeouts(
                ManifestRules.duration(propertyDefault("task-worker", "conveyor.worker.drain-timeout")),
                ManifestRules.duration(propertyDefault("task-worker", "conveyor.worker.settle-timeout")),
                ManifestRules.duration(propertyDefault("api-gateway", "conveyor.publish.confirm-timeout")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void rendersTheGatewayAndThePoolsOfTheComposeFile(String overlay) {
        List<Map<String, Object>> docs = docs(overlay);
        assertEquals(
                List.of("api-gateway", "worker", "worker-email", "worker-images"),
                kind(docs, "Deployment").stream()
                        .map(ManifestRules::name)
                        .sorted()
                        .toList());
        assertEquals(List.of("resize_image"), ManifestRules.types(deployment(docs, "worker-images")));
        assertEquals(List.of("send_email"), ManifestRules.types(deployment(docs, "worker-email")));
        for (Map<String, Object> doc : docs) {
            assertEquals("conveyor", at(doc, "metadata", "namespace"), name(doc) + " has no namespace");
        }
        for (Map<String, Object> deployment : kind(docs, "Deployment")) {
            String image =
                    String.valueOf(at(ManifestRules.containers(deployment).getFirst(), "image"));
            assertTrue(
                    image.matches("conveyor/(api-gateway|task-worker):\\d+\\.\\d+\\.\\d+"),
                    name(deployment) + ": " + image);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyDocumentMatchesItsSchema(String overlay) {
        List<String> errors = new ArrayList<>();
        for (Map<String, Object> doc : docs(overlay)) {
            ManifestSchemas.errors(doc).forEach(e -> errors.add(name(doc) + ": " + e));
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void theSchemasRefuseUnknownFieldsAndWrongTypes() {
        assertRefused("livenesProbe", "Deployment", d -> {
            Map<String, Object> c = ManifestRules.containers(d).getFirst();
            c.put("livenesProbe", c.remove("livenessProbe"));
        });
        assertRefused("three", "Deployment", d -> map(d.get("spec")).put("replicas", "three"));
        assertRefused(
                "maxUnavailible", "PodDisruptionBudget", p -> map(p.get("spec")).put("maxUnavailible", 1));
        assertRefused("podSelecter", "NetworkPolicy", n -> map(n.get("spec")).put("podSelecter", Map.of()));
        assertRefused("minReplicas", "ScaledObject", s -> map(s.get("spec")).put("minReplicas", 1));
        assertRefused("minReplicaCount", "ScaledObject", s -> map(s.get("spec")).put("minReplicaCount", "1"));
        assertRefused(
                "paramter",
                "TriggerAuthentication",
                t -> map(list(at(t, "spec", "secretTargetRef")).getFirst()).put("paramter", "host"));
        assertEquals(
                List.of("no schema for autoscaling/v2 HorizontalPodAutoscaler"),
                ManifestSchemas.errors(Map.of("apiVersion", "autoscaling/v2", "kind", "HorizontalPodAutoscaler")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyDeploymentIsProbedLimitedAndLockedDown(String overlay) {
        List<Map<String, Object>> docs = docs(overlay);
        assertEquals(List.of(), ManifestRules.probes(docs));
        assertEquals(List.of(), ManifestRules.resources(docs));
        assertEquals(List.of(), ManifestRules.securityContexts(docs));
        assertEquals(List.of(), ManifestRules.disruptionBudgets(docs));
        assertEquals(List.of(), ManifestRules.gracePeriods(docs, timeouts));
    }

    @Test
    void theDeploymentRulesFailOnDeploymentsThatBreakThem() {
        assertBreaks(
                ManifestRules::probes, docs -> container(docs, "worker-email").remove("readinessProbe"));
        assertBreaks(
                ManifestRules::probes, docs -> container(docs, "api-gateway").remove("startupProbe"));
        assertBreaks(
                ManifestRules::resources,
                docs -> map(map(container(docs, "worker").get("resources")).get("limits"))
                        .remove("memory"));
        assertBreaks(
                ManifestRules::securityContexts,
                docs -> map(container(docs, "worker-images").get("securityContext"))
                        .put("readOnlyRootFilesystem", false));
        assertBreaks(
                ManifestRules::securityContexts,
                docs -> map(at(deployment(docs, "api-gateway"), "spec", "template", "spec"))
                        .remove("securityContext"));
        assertBreaks(
                ManifestRules::disruptionBudgets,
                docs -> docs.removeIf(
                        d -> "PodDisruptionBudget".equals(d.get("kind")) && "worker-images".equals(name(d))));
        // 40 s is the worker's whole shutdown (30 s drain + 2 x 5 s settle): the grace period must be longer.
        long shutdown = timeouts.drain().plus(timeouts.settle().multipliedBy(2)).toSeconds();
        assertEquals(40, shutdown);
        assertBreaks(
                docs -> ManifestRules.gracePeriods(docs, timeouts),
                docs -> map(at(deployment(docs, "worker"), "spec", "template", "spec"))
                        .put("terminationGracePeriodSeconds", shutdown));
        assertBreaks(
                docs -> ManifestRules.gracePeriods(docs, timeouts),
                docs -> list(container(docs, "worker-email").get("env"))
                        .add(Map.of("name", "CONVEYOR_DRAIN_TIMEOUT", "value", "2M")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyPoolScalesOnItsOwnQueuesAndEveryTypeHasAPool(String overlay) {
        List<Map<String, Object>> docs = docs(overlay);
        assertEquals(List.of(), ManifestRules.scaling(docs));
        List<String> types = TaskCatalogue.load().all().stream()
                .filter(t -> t.payloadClass().getPackageName().equals("io.conveyor.model.payload"))
                .map(TaskType::name)
                .toList();
        assertTrue(types.containsAll(List.of("resize_image", "send_email")), "the catalogue: " + types);
        assertEquals(List.of(), ManifestRules.everyTypeConsumed(docs, types));
        assertFalse(ManifestRules.everyTypeConsumed(docs, List.of("transcode_video"))
                .isEmpty());
    }

    @Test
    void theScalingRuleFailsOnPoolsThatBreakIt() {
        assertBreaks(
                ManifestRules::scaling, docs -> scaler(docs, "worker-email").put("minReplicaCount", 0));
        assertBreaks(
                ManifestRules::scaling,
                docs -> list(scaler(docs, "worker").get("triggers")).removeLast());
        assertBreaks(
                ManifestRules::scaling,
                docs -> map(at(
                                list(scaler(docs, "worker-images").get("triggers"))
                                        .getFirst(),
                                "metadata"))
                        .put("queueName", "conveyor.task.send_email"));
        assertBreaks(
                ManifestRules::scaling,
                docs -> map(at(
                                list(scaler(docs, "worker-images").get("triggers"))
                                        .getFirst(),
                                "metadata"))
                        .put("mode", "MessageRate"));
        assertBreaks(
                ManifestRules::scaling,
                docs -> docs.removeIf(d -> "ScaledObject".equals(d.get("kind")) && "worker-email".equals(name(d))));
        assertBreaks(
                ManifestRules::scaling,
                docs -> map(deployment(docs, "worker").get("spec")).put("replicas", 2));
        assertBreaks(
                ManifestRules::scaling,
                docs -> list(container(docs, "worker-email").get("env")).stream()
                        .map(ManifestRules::map)
                        .filter(e -> "CONVEYOR_WORKER_TYPES".equals(e.get("name")))
                        .forEach(e -> e.put("value", "send_email,noop")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void configMapsHoldNoCredentialsAndNameTheStores(String overlay) {
        List<Map<String, Object>> docs = docs(overlay);
        assertEquals(List.of(), ManifestRules.noSecretsInConfigMaps(docs));
        assertEquals(List.of(), ManifestRules.stores(docs));
        assertBreaks(ManifestRules::noSecretsInConfigMaps, d -> config(d).put("REDIS_PASSWORD", "x"));
        assertBreaks(ManifestRules::noSecretsInConfigMaps, d -> config(d).put("REDIS_URL", "redis://:pw@redis:6379"));
        assertBreaks(
                ManifestRules::noSecretsInConfigMaps, d -> config(d).put("NOTE", "REPLACE-WITH-THE-BROKER-PASSWORD"));
        assertBreaks(
                ManifestRules::noSecretsInConfigMaps,
                d -> list(container(d, "worker").get("env")).add(Map.of("name", "RABBITMQ_PASSWORD", "value", "x")));
        assertBreaks(
                ManifestRules::noSecretsInConfigMaps,
                d -> list(container(d, "api-gateway").get("env"))
                        .add(Map.of("name", "CONVEYOR_WEBHOOK_SECRETS_FILE", "value", "/etc/elsewhere/secrets")));
        assertBreaks(ManifestRules::stores, d -> config(d).put("CONVEYOR_QUORUM_REPLICAS", "5"));
        assertBreaks(ManifestRules::stores, d -> config(d).put("RABBITMQ_ADDRESSES", "amqp://rabbitmq"));
    }

    @Test
    void productionRunsThreeGatewaysOnAClusterAndScalesFurther() {
        List<Map<String, Object>> production = docs("production");
        assertEquals(3, at(deployment(production, "api-gateway"), "spec", "replicas"));
        assertEquals(1, at(deployment(docs("local"), "api-gateway"), "spec", "replicas"));
        assertEquals("3", config(production).get("CONVEYOR_QUORUM_REPLICAS"));
        assertEquals(
                3, String.valueOf(config(production).get("RABBITMQ_ADDRESSES")).split(",").length);
        assertTrue(config(production).containsKey("REDIS_SENTINELS"));
        for (String pool : List.of("worker", "worker-email", "worker-images")) {
            int local = (Integer) scaler(docs("local"), pool).get("maxReplicaCount");
            int prod = (Integer) scaler(production, pool).get("maxReplicaCount");
            assertTrue(prod > local, pool + ": production " + prod + ", local " + local);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theOverlaysNeedTheSecretFilesWhichGitIgnores(String overlay) throws IOException {
        Path bare = WORK.resolve("without-secret-files-" + overlay);
        copyManifests(bare);
        String refusal = Kustomize.failure(bare.resolve("overlays").resolve(overlay));
        assertTrue(refusal.contains("secrets/"), refusal);
        List<String> ignore = Files.readAllLines(MANIFESTS.resolve(".gitignore"));
        assertTrue(ignore.contains("overlays/*/secrets/*"), ignore.toString());
        assertTrue(ignore.contains("!overlays/*/secrets/*.example"), ignore.toString());
        // Every file a secretGenerator reads has an example beside it.
        String kustomization =
                Files.readString(MANIFESTS.resolve("overlays").resolve(overlay).resolve("kustomization.yaml"));
        Matcher files = Pattern.compile("=(secrets/[\\w.-]+)").matcher(kustomization);
        int count = 0;
        while (files.find()) {
            count++;
            Path example = MANIFESTS.resolve("overlays").resolve(overlay).resolve(files.group(1) + ".example");
            assertTrue(Files.isRegularFile(example), example + " is missing");
        }
        assertEquals(5, count, kustomization);
    }

    // ---- helpers ----

    private static List<Map<String, Object>> docs(String overlay) {
        return copy(RENDERED.get(overlay));
    }

    /** The rendered production manifests fail {@code rule} once {@code breakIt} has changed them. */
    private static void assertBreaks(
            Function<List<Map<String, Object>>, List<String>> rule, Consumer<List<Map<String, Object>>> breakIt) {
        List<Map<String, Object>> docs = docs("production");
        assertEquals(List.of(), rule.apply(docs), "the rule must hold before the change");
        breakIt.accept(docs);
        assertFalse(rule.apply(docs).isEmpty(), "the rule must fail after the change");
    }

    /** The first rendered document of KIND, changed by {@code breakIt}, fails its schema with FIELD in the error. */
    private static void assertRefused(String field, String kind, Consumer<Map<String, Object>> breakIt) {
        Map<String, Object> doc = kind(docs("production"), kind).getFirst();
        assertEquals(List.of(), ManifestSchemas.errors(doc));
        breakIt.accept(doc);
        List<String> errors = ManifestSchemas.errors(doc);
        assertTrue(errors.toString().contains(field), kind + " with " + field + ": " + errors);
    }

    private static Map<String, Object> deployment(List<Map<String, Object>> docs, String name) {
        return kind(docs, "Deployment").stream()
                .filter(d -> name.equals(name(d)))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> container(List<Map<String, Object>> docs, String deployment) {
        return ManifestRules.containers(deployment(docs, deployment)).getFirst();
    }

    private static Map<String, Object> scaler(List<Map<String, Object>> docs, String name) {
        return map(kind(docs, "ScaledObject").stream()
                .filter(d -> name.equals(name(d)))
                .findFirst()
                .orElseThrow()
                .get("spec"));
    }

    private static Map<String, Object> config(List<Map<String, Object>> docs) {
        return map(kind(docs, "ConfigMap").stream()
                .filter(c -> name(c).startsWith("conveyor-config"))
                .findFirst()
                .orElseThrow()
                .get("data"));
    }

    /** A copy of deploy/kubernetes without any secret file but the examples (a developer's real ones stay put). */
    private static void copyManifests(Path to) throws IOException {
        Kustomize.copyTree(MANIFESTS, to);
        for (String overlay : OVERLAYS) {
            Path secrets = to.resolve("overlays").resolve(overlay).resolve("secrets");
            try (Stream<Path> files = Files.list(secrets)) {
                for (Path file : files.toList()) {
                    if (!file.getFileName().toString().endsWith(".example")) {
                        Files.delete(file);
                    }
                }
            }
        }
    }

    private static List<Path> examples(Path secrets) throws IOException {
        try (Stream<Path> files = Files.list(secrets)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".example"))
                    .sorted()
                    .toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    private static List<Map<String, Object>> copy(List<Map<String, Object>> docs) {
        try {
            return MAPPER.readValue(MAPPER.writeValueAsString(docs), new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default of KEY in MODULE's application.properties: {@code key=${ENV:default}}. */
    private static String propertyDefault(String module, String key) throws IOException {
        Path file = ROOT.resolve(module).resolve("src/main/resources/application.properties");
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=\\$\\{[A-Z_]+:([^}]+)}$")
                .matcher(Files.readString(file));
        assertTrue(m.find(), key + " in " + file);
        return m.group(1);
    }
}
