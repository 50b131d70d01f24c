package io.conveyor.gateway.rest.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.conveyor.gateway.deadletter.DeadLetterQueue;
import io.conveyor.gateway.ops.QueueFigures;
import io.conveyor.gateway.ops.QueuesView;
import io.conveyor.gateway.rest.BatchResource;
import io.conveyor.gateway.rest.DeadLetterResource;
import io.conveyor.gateway.rest.PayloadSchemas;
import io.conveyor.gateway.rest.Problem;
import io.conveyor.gateway.rest.QueryResource;
import io.conveyor.gateway.rest.SeedResource;
import io.conveyor.gateway.rest.TaskTypeResource;
import io.conveyor.gateway.schedule.ScheduleView;
import io.conveyor.gateway.state.TaskPage;
import io.conveyor.model.BatchAccepted;
import io.conveyor.model.BatchView;
import io.conveyor.model.DeadLetter;
import io.conveyor.model.Json;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskOptions;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskType;
import io.conveyor.model.TaskView;
import io.conveyor.model.ops.WorkerHeartbeat;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Makes the OpenAPI document the contract a generated client can be typed from. SmallRye scans the resources for
 * paths, operations and parameters; this filter, run when the application is built, replaces every schema with one
 * derived from the records (victools, {@link RecordSchemas} and {@link PayloadSchemas}) and the catalogue:
 *
 * <ul>
 *   <li>each task type's request is its own schema ({@code SendEmailTask}: {@code type} fixed, its payload record,
 *       the options), and {@code TaskRequest} joins them with {@code oneOf} and a {@code discriminator} on {@code
 *       type}; each type's view likewise types its {@code result} with the type's result record;
 *   <li>every error answer is an RFC 9457 problem ({@code application/problem+json}, {@code Retry-After} on 429 and
 *       503), and the answers every operation can give (401, 403, 429 with a key; 400 with input; 404 for an id;
 *       413, 415, 409 and 422 with a body; 503) are listed on each;
 *   <li>the {@code type} and {@code status} parameters enumerate what they accept, and each type has a request example.
 * </ul>
 *
 * A reference that points at no schema, or a scanned schema that no record here produces, stops the build.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ContractFilter implements OASFilter {

    static final String SCHEMAS = "#/components/schemas/";
    static final String PROBLEM_JSON = Problem.MEDIA_TYPE;

    /** The records the API answers with; each becomes the component SmallRye's scan named after it. */
    static final List<Class<?>> RESPONSES = List.of(
            TaskView.class,
            TaskAccepted.class,
            BatchAccepted.class,
            BatchView.class,
            TaskPage.class,
            DeadLetter.class,
            DeadLetterQueue.Replayed.class,
            DeadLetterResource.ReplayAccepted.class,
            TaskTypeResource.TaskTypeView.class,
            QueryResource.QueryView.class,
            SeedResource.SeedAccepted.class,
            QueuesView.class,
            QueueFigures.class,
            WorkerHeartbeat.class,
            ScheduleView.class,
            Problem.class);

    /** The records requests are read into, besides the payloads: their constraints are the schema's. */
    static final List<Class<? extends Record>> REQUESTS =
            List.of(TaskOptions.class, SeedResource.SeedRequest.class, BatchResource.BatchBody.class);

    private static final Map<String, String> PROBLEM_TITLES = new TreeMap<>(Map.ofEntries(
            Map.entry("400", "Invalid request: each invalid field is listed in `errors`"),
            Map.entry("401", "No valid API key (Authorization: Bearer <key>)"),
            Map.entry("403", "The key's role does not allow this operation"),
            Map.entry("404", "No such resource (or not the caller's)"),
            Map.entry("409", "Conflict with the resource's current state"),
            Map.entry("413", "The body is larger than the gateway accepts"),
            Map.entry("415", "The body must be sent as application/json"),
            Map.entry("416", "The range starts past the end"),
            Map.entry("422", "The Idempotency-Key was used for a different request"),
            Map.entry("429", "Over the key's quota; retry after Retry-After seconds"),
            Map.entry("503", "A service the gateway needs is unavailable, or the queue is full; nothing was changed")));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        TaskCatalogue catalogue = TaskCatalogue.load();
        Set<String> scanned = new TreeSet<>(schemas(openAPI).keySet());
        Map<String, Schema> schemas = new TreeMap<>();

        RecordSchemas records = new RecordSchemas();
        RESPONSES.forEach(records::reference);
        records.components().forEach((name, json) -> schemas.put(name, SchemaModels.of(json)));
        for (Class<? extends Record> request : REQUESTS) {
            schemas.put(request.getSimpleName(), SchemaModels.of(PayloadSchemas.payload(request)));
        }
        typeSchemas(catalogue, schemas);
        scheduleSchemas(schemas);

        Set<String> unknown = new TreeSet<>(scanned);
        unknown.removeAll(schemas.keySet());
        unknown.removeAll(Set.of(
                "JsonNode",
                "JsonNodeType",
                "Duration",
                "Instant",
                "FieldError",
                "Defaults",
                "TaskError",
                "TaskStatus"));
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("The OpenAPI scan found schemas no record here produces: " + unknown
                    + "; add their records to ContractFilter.RESPONSES or REQUESTS");
        }
        Components components = openAPI.getComponents();
        components.setSchemas(schemas);

        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry :
                    path.getOperations().entrySet()) {
                answers(entry.getKey(), path, entry.getValue());
                parameters(entry.getValue(), catalogue);
            }
        }
        examples(openAPI, catalogue);
        References.requireResolved(openAPI);
    }

    /**
     * Per task type: its payload and result records, its request ({@code type} fixed) and its view ({@code result}
     * typed); then the unions over all types.
     */
    private static void typeSchemas(TaskCatalogue catalogue, Map<String, Schema> schemas) {
        Schema fields = schemas.remove("TaskView");
        fields.setDescription("The fields every task view has; TaskView types `result` by the task's type.");
        schemas.put("TaskViewFields", fields);

        List<Schema> requests = new ArrayList<>();
        List<Schema> views = new ArrayList<>();
        Map<String, String> requestMapping = new LinkedHashMap<>();
        Map<String, String> viewMapping = new LinkedHashMap<>();
        for (TaskType type : catalogue.all()) {
            String payloadName = type.payloadClass().getSimpleName();
            String resultName = type.resultClass().getSimpleName();
            ObjectNode payload = PayloadSchemas.payload(type.payloadClass());
            schemas.put(payloadName, SchemaModels.of(payload));
            schemas.putIfAbsent(resultName, SchemaModels.of(PayloadSchemas.result(type.resultClass())));

            String stem = camel(type.name());
            Schema request = OASFactory.createSchema()
                    .type(List.of(Schema.SchemaType.OBJECT))
                    .description(type.description() + (type.diagnostic() ? " (diagnostic type)" : ""))
                    .addProperty("type", OASFactory.createSchema().constValue(type.name()))
                    .addProperty("payload", ref(payloadName))
                    .addProperty("options", ref("TaskOptions"))
                    .additionalPropertiesSchema(OASFactory.createSchema().booleanSchema(false))
                    .addRequired("type");
            if (payload.has("required")) {
                // A payload without required fields may be left out: it reads as {}.
                request.addRequired("payload");
            }
            schemas.put(stem + "Task", request);
            requests.add(ref(stem + "Task"));
            requestMapping.put(type.name(), SCHEMAS + stem + "Task");

            Schema view = OASFactory.createSchema()
                    .addAllOf(ref("TaskViewFields"))
                    .addAllOf(OASFactory.createSchema()
                            .type(List.of(Schema.SchemaType.OBJECT))
                            .addProperty("type", OASFactory.createSchema().constValue(type.name()))
                            .addProperty(
                                    "result",
                                    OASFactory.createSchema()
                                            .description("Set once the task SUCCEEDED")
                                            .addOneOf(ref(resultName))
                                            .addOneOf(OASFactory.createSchema().type(List.of(Schema.SchemaType.NULL))))
                            .required(List.of("type", "result")));
            schemas.put(stem + "TaskView", view);
            views.add(ref(stem + "TaskView"));
            viewMapping.put(type.name(), SCHEMAS + stem + "TaskView");
        }
        schemas.put(
                "TaskRequest",
                OASFactory.createSchema()
                        .description("A task to run: its type, the payload that type takes, and options")
                        .oneOf(requests)
                        .discriminator(OASFactory.createDiscriminator()
                                .propertyName("type")
                                .mapping(requestMapping)));
        schemas.put(
                "TaskView",
                OASFactory.createSchema()
                        .description("A task's state; `result` is the type's result record once it SUCCEEDED")
                        .oneOf(views)
                        .discriminator(OASFactory.createDiscriminator()
                                .propertyName("type")
                                .mapping(viewMapping)));
    }

    /**
     * A schedule's request ({@code ScheduleRequest}) and view type their {@code task} as a task request, so a
     * schedule's payload is checked by the same per-type schemas as a submitted task's.
     */
    private static void scheduleSchemas(Map<String, Schema> schemas) {
        Schema view = schemas.get("ScheduleView");
        if (view != null && view.getProperties() != null && view.getProperties().containsKey("task")) {
            view.addProperty("task", ref("TaskRequest"));
            // The policy is written in lower case (Missed's @JsonValue), which the record's generator does not see.
            view.addProperty("missed", missedSchema());
        }
        schemas.put(
                "ScheduleRequest",
                OASFactory.createSchema()
                        .type(List.of(Schema.SchemaType.OBJECT))
                        .description("A recurring schedule: when (cron, zone), what (task) and what to do with ticks "
                                + "missed while no gateway ran (missed)")
                        .addProperty(
                                "name",
                                OASFactory.createSchema()
                                        .type(List.of(Schema.SchemaType.STRING))
                                        .pattern("^[A-Za-z0-9._-]{1,100}$")
                                        .description("Required on POST; on PUT the path's name, which it must equal "
                                                + "if given"))
                        .addProperty(
                                "cron",
                                OASFactory.createSchema()
                                        .type(List.of(Schema.SchemaType.STRING))
                                        .description("Five fields (minute hour day-of-month month day-of-week), "
                                                + "`@hourly`-style shortcuts, or `@every <ISO-8601 duration>` of at "
                                                + "least PT1S")
                                        .examples(List.of("*/15 * * * MON-FRI", "@every PT30S")))
                        .addProperty(
                                "zone",
                                OASFactory.createSchema()
                                        .type(List.of(Schema.SchemaType.STRING))
                                        .description("IANA time zone the cron expression is read in; UTC by default")
                                        .examples(List.of("Europe/Paris")))
                        .addProperty("task", ref("TaskRequest"))
                        .addProperty("missed", missedSchema())
                        .additionalPropertiesSchema(OASFactory.createSchema().booleanSchema(false))
                        .addRequired("cron")
                        .addRequired("task"));
    }

    private static Schema missedSchema() {
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.STRING))
                .enumeration(List.of("skip", "once"))
                .description("What ticks missed while no gateway ran come to: skip (the default) fires none of them, "
                        + "once fires one task for all of them");
    }

    /** Every error answer is a problem; the answers an operation can always give are listed. */
    private static void answers(PathItem.HttpMethod method, PathItem path, Operation operation) {
        APIResponses responses = operation.getResponses();
        boolean secured =
                operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured) {
            // SmallRye lists 401 and 403 without a body: ours are problems.
            responses.removeAPIResponse("401");
            responses.removeAPIResponse("403");
            add(responses, "401");
            add(responses, "403");
            add(responses, "429");
        }
        boolean input = operation.getRequestBody() != null
                || (operation.getParameters() != null
                        && operation.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY));
        if (input) {
            add(responses, "400");
        }
        if (operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.PATH)) {
            add(responses, "404");
        }
        if (operation.getRequestBody() != null) {
            add(responses, "413");
            add(responses, "415");
            add(responses, "409");
            add(responses, "422");
        }
        add(responses, "503");
        for (Map.Entry<String, APIResponse> answer : responses.getAPIResponses().entrySet()) {
            int code = Integer.parseInt(answer.getKey());
            if (code >= 400 && method != PathItem.HttpMethod.HEAD) {
                APIResponse response = answer.getValue();
                if (response.getContent() == null
                        || response.getContent().getMediaTypes().isEmpty()) {
                    response.setContent(OASFactory.createContent()
                            .addMediaType(
                                    PROBLEM_JSON, OASFactory.createMediaType().schema(ref("Problem"))));
                }
                if (code == 429 || code == 503) {
                    response.addHeader(
                            "Retry-After",
                            OASFactory.createHeader()
                                    .description("Seconds to wait before retrying")
                                    .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))));
                }
            }
        }
    }

    private static void add(APIResponses responses, String code) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(PROBLEM_TITLES.get(code)));
        }
    }

    /** The {@code type} and {@code status} query parameters accept the catalogue's types and the statuses. */
    private static void parameters(Operation operation, TaskCatalogue catalogue) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            if (parameter.getIn() != Parameter.In.QUERY || parameter.getSchema() == null) {
                continue;
            }
            if ("status".equals(parameter.getName())) {
                List<Object> statuses = new ArrayList<>();
                for (TaskStatus status : TaskStatus.values()) {
                    statuses.add(status.name());
                }
                parameter.getSchema().enumeration(statuses);
            } else if ("type".equals(parameter.getName())
                    && operation.getOperationId() != null
                    && operation.getOperationId().startsWith("listTasks")) {
                parameter.getSchema().enumeration(new ArrayList<>(catalogue.names()));
            }
        }
    }

    /** One request example per task type on {@code POST /api/v1/tasks}, from its {@code @TaskDefinition}. */
    private static void examples(OpenAPI openAPI, TaskCatalogue catalogue) {
        PathItem tasks = openAPI.getPaths().getPathItem("/api/v1/tasks");
        if (tasks == null || tasks.getPOST() == null || tasks.getPOST().getRequestBody() == null) {
            return;
        }
        Content content = tasks.getPOST().getRequestBody().getContent();
        MediaType json = content.getMediaType("application/json");
        for (TaskType type : catalogue.all()) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("type", type.name());
            request.put("payload", parse(type.example()));
            json.addExample(
                    type.name(),
                    OASFactory.createExample().summary(type.description()).value(request));
        }
    }

    private static Schema ref(String component) {
        return OASFactory.createSchema().ref(SCHEMAS + component);
    }

    private static Object parse(String example) {
        try {
            JsonNode tree = Json.mapper().readTree(example);
            return Json.mapper().convertValue(tree, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Invalid example in a @TaskDefinition: " + example, e);
        }
    }

    private static Map<String, Schema> schemas(OpenAPI openAPI) {
        Map<String, Schema> schemas =
                openAPI.getComponents() == null ? null : openAPI.getComponents().getSchemas();
        return schemas == null ? Map.of() : schemas;
    }

    /** {@code send_email} → {@code SendEmail}. */
    static String camel(String type) {
        StringBuilder out = new StringBuilder();
        for (String part : type.split("_")) {
            if (!part.isEmpty()) {
                out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
