package io.conveyor.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;

/**
 * Validates one rendered Kubernetes document, strictly: a field the kind does not declare is an error, as is a value
 * of the wrong type or a missing required field. Built-in kinds go through the Kubernetes Java client's models
 * (generated from Kubernetes 1.32's OpenAPI; each refuses undeclared fields, and Gson refuses wrong types); KEDA's
 * ScaledObject and TriggerAuthentication through the openAPIV3Schema of KEDA's CRDs (resources keda-crds/, v2.17.2),
 * made strict the way kubeconform's strict schemas are: every object that lists its properties admits no other,
 * unless the CRD says x-kubernetes-preserve-unknown-fields or gives additionalProperties. A kind not listed here is an
 * error too, so that a new kind in the manifests gets a schema.
 */
final class ManifestSchemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Class<?>> BUILT_IN = Map.of(
            "apps/v1 Deployment", V1Deployment.class,
            "v1 Service", V1Service.class,
            "v1 ConfigMap", V1ConfigMap.class,
            "v1 Secret", V1Secret.class,
            "v1 PersistentVolumeClaim", V1PersistentVolumeClaim.class,
            "policy/v1 PodDisruptionBudget", V1PodDisruptionBudget.class,
            "networking.k8s.io/v1 NetworkPolicy", V1NetworkPolicy.class);
    private static final Map<String, Schema> CUSTOM = Map.of(
            "keda.sh/v1alpha1 ScaledObject",
            crdSchema("keda-crds/keda.sh_scaledobjects.yaml", "v1alpha1"),
            "keda.sh/v1alpha1 TriggerAuthentication",
            crdSchema("keda-crds/keda.sh_triggerauthentications.yaml", "v1alpha1"));

    private ManifestSchemas() {}

    /** The schema errors of one document (empty when it is valid). */
    static List<String> errors(Map<String, Object> document) {
        String kind = document.get("apiVersion") + " " + document.get("kind");
        String json = writeJson(document);
        Class<?> model = BUILT_IN.get(kind);
        if (model != null) {
            return modelErrors(kind, model, json, document);
        }
        Schema schema = CUSTOM.get(kind);
        if (schema != null) {
            return schema.validate(MAPPER.valueToTree(document)).stream()
                    .map(e -> kind + ": " + e)
                    .toList();
        }
        return List.of("no schema for " + kind);
    }

    private static List<String> modelErrors(String kind, Class<?> model, String json, Map<String, Object> document) {
        try {
            Method validate = model.getMethod("validateJsonElement", JsonElement.class);
            validate.invoke(null, JsonParser.parseString(json));
        } catch (InvocationTargetException e) {
            return List.of(kind + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        // validateJsonElement checks names and shapes; reading the document into the model checks scalar types
        // (an integer field given "three"). A Secret's data is checked here, as base64: the model decodes it with
        // okio, which the client's HTTP side brings and this test leaves out.
        String typed = json;
        if (model == V1Secret.class && document.get("data") instanceof Map<?, ?> data) {
            for (Map.Entry<?, ?> e : data.entrySet()) {
                try {
                    Base64.getDecoder().decode(String.valueOf(e.getValue()).replaceAll("\\s", ""));
                } catch (IllegalArgumentException notBase64) {
                    return List.of(kind + ": data." + e.getKey() + " is not base64");
                }
            }
            Map<String, Object> withoutData = new LinkedHashMap<>(document);
            withoutData.remove("data");
            typed = writeJson(withoutData);
        }
        try {
            new JSON().deserialize(typed, model);
        } catch (JsonParseException | IllegalArgumentException e) {
            return List.of(kind + ": " + e.getMessage());
        }
        return List.of();
    }

    private static String writeJson(Map<String, Object> document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema crdSchema(String resource, String version) {
        Map<String, Object> crd;
        try (InputStream in = ManifestSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no resource " + resource);
            }
            crd = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode versions = MAPPER.valueToTree(crd).path("spec").path("versions");
        for (JsonNode v : versions) {
            if (v.path("name").asText().equals(version)) {
                JsonNode schema = v.path("schema").path("openAPIV3Schema").deepCopy();
                strict(schema);
                return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(schema);
            }
        }
        throw new AssertionError(resource + " has no version " + version);
    }

    /** OpenAPI v3 (as CRDs write it) to a strict JSON schema, in place. */
    private static void strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties")
                    && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                object.put("additionalProperties", false);
            }
            if (object.path("nullable").asBoolean() && object.has("type")) {
                ArrayNode types =
                        MAPPER.createArrayNode().add(object.get("type")).add("null");
                object.set("type", types);
            }
            if (object.path("x-kubernetes-int-or-string").asBoolean()) {
                object.remove("type");
                object.set(
                        "anyOf",
                        MAPPER.createArrayNode()
                                .add(MAPPER.createObjectNode().put("type", "integer"))
                                .add(MAPPER.createObjectNode().put("type", "string")));
            }
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            for (String name : names) {
                if (name.equals("properties") && object.get(name) instanceof ObjectNode properties) {
                    properties.forEach(ManifestSchemas::strict);
                } else if (!name.equals("enum") && !name.equals("default") && !name.equals("example")) {
                    strict(object.get(name));
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ManifestSchemas::strict);
        }
    }
}
