package io.conveyor.gateway.rest.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/** Checks that every schema reference in the document points at a component: a dangling one stops the build. */
final class References {

    private References() {}

    static void requireResolved(OpenAPI openAPI) {
        Set<String> known = openAPI.getComponents().getSchemas().keySet();
        List<Schema> roots =
                new ArrayList<>(openAPI.getComponents().getSchemas().values());
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                if (operation.getParameters() != null) {
                    for (Parameter parameter : operation.getParameters()) {
                        if (parameter.getSchema() != null) {
                            roots.add(parameter.getSchema());
                        }
                    }
                }
                if (operation.getRequestBody() != null) {
                    content(operation.getRequestBody().getContent(), roots);
                }
                for (APIResponse response :
                        operation.getResponses().getAPIResponses().values()) {
                    content(response.getContent(), roots);
                }
            }
        }
        Set<String> dangling = new TreeSet<>();
        for (Schema root : roots) {
            walk(root, known, dangling);
        }
        if (!dangling.isEmpty()) {
            throw new IllegalStateException("The OpenAPI document references schemas it does not have: " + dangling);
        }
    }

    private static void content(Content content, List<Schema> roots) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().stream()
                    .filter(m -> m.getSchema() != null)
                    .forEach(m -> roots.add(m.getSchema()));
        }
    }

    private static void walk(Schema schema, Set<String> known, Set<String> dangling) {
        if (schema == null) {
            return;
        }
        String ref = schema.getRef();
        if (ref != null) {
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (!ref.startsWith(ContractFilter.SCHEMAS) || !known.contains(name)) {
                dangling.add(ref);
            }
        }
        children(schema).forEach(child -> walk(child, known, dangling));
    }

    private static List<Schema> children(Schema schema) {
        List<Schema> out = new ArrayList<>();
        Map<String, Schema> properties = schema.getProperties();
        if (properties != null) {
            out.addAll(properties.values());
        }
        for (List<Schema> list : List.of(
                nullToEmpty(schema.getAllOf()), nullToEmpty(schema.getAnyOf()), nullToEmpty(schema.getOneOf()))) {
            out.addAll(list);
        }
        if (schema.getItems() != null) {
            out.add(schema.getItems());
        }
        if (schema.getAdditionalPropertiesSchema() != null) {
            out.add(schema.getAdditionalPropertiesSchema());
        }
        return out;
    }

    private static List<Schema> nullToEmpty(List<Schema> list) {
        return list == null ? List.of() : list;
    }
}
