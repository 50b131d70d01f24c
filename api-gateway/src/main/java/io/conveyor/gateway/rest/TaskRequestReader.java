package io.conveyor.gateway.rest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.conveyor.gateway.publish.BatchRequest;
import io.conveyor.gateway.publish.ValidatedTask;
import io.conveyor.gateway.webhook.Callbacks;
import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskOptions;
import io.conveyor.model.TaskType;

/**
 * Reads a task request body and checks it against the catalogue: the type must exist, the payload must bind to
 * the type's record without unknown fields or coerced types and satisfy its constraints, the options must be in
 * range. Every failure is a 400 {@link ProblemException} listing each bad field, naming the type once it is known.
 */
@ApplicationScoped
public class TaskRequestReader {

    private static final Set<String> REQUEST_FIELDS = Set.of("type", "payload", "options");
    private static final Set<String> BATCH_FIELDS = Set.of("tasks", "onComplete");

    /** The most tasks one batch may hold. */
    public static final int MAX_BATCH = 1000;

    private final TaskCatalogue catalogue;
    private final Validator validator;
    private final QueryChecks queries;
    private final Callbacks callbacks;

    public TaskRequestReader(TaskCatalogue catalogue, Validator validator, QueryChecks queries, Callbacks callbacks) {
        this.catalogue = catalogue;
        this.validator = validator;
        this.queries = queries;
        this.callbacks = callbacks;
    }

    /**
     * A task with {@code options.callbackUrl} needs a webhook secret for its owner (README, "Webhooks"): 400 otherwise.
     * Checked once the owner is known.
     */
    public ValidatedTask requireWebhookSecret(ValidatedTask task) {
        String problem = task.callbackUrl() == null ? null : callbacks.secretProblem(task.client());
        if (problem != null) {
            throw ProblemException.invalid(
                            "The " + task.type().name() + " task is invalid",
                            List.of(new Problem.FieldError("options.callbackUrl", problem)))
                    .about(task.type().name());
        }
        return task;
    }

    /** {@link #requireWebhookSecret} for every task of a batch, one 400 listing each task that has a callback URL. */
    public BatchRequest requireWebhookSecrets(BatchRequest batch) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < batch.tasks().size(); i++) {
            ValidatedTask task = batch.tasks().get(i);
            String problem = task.callbackUrl() == null ? null : callbacks.secretProblem(task.client());
            if (problem != null) {
                errors.add(new Problem.FieldError("tasks[" + i + "].options.callbackUrl", problem, i));
            }
        }
        ValidatedTask then = batch.onComplete();
        String problem = then == null || then.callbackUrl() == null ? null : callbacks.secretProblem(then.client());
        if (problem != null) {
            errors.add(new Problem.FieldError("onComplete.options.callbackUrl", problem, -1));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The batch is invalid", errors);
        }
        return batch;
    }

    /** Parses a {@code {"type","payload","options"}} body. */
    public ValidatedTask read(byte[] body, String idempotencyKeyHeader, String traceparent) {
        return readTask(parseObject(body), idempotencyKeyHeader, traceparent);
    }

    /**
     * Checks a task request given as a tree ({@code {type, payload, options}}: a schedule's task), exactly as {@link
     * #read} checks a body; no idempotency key header, no trace.
     */
    public ValidatedTask read(JsonNode task) {
        if (task == null || !task.isObject()) {
            throw ProblemException.invalid(
                    "A task must be a JSON object {type, payload, options}",
                    List.of(new Problem.FieldError("", "must be an object")));
        }
        return readTask(task, null, null);
    }

    /** Parses any JSON object body (for requests that are not tasks: schedules). */
    static JsonNode object(byte[] body) {
        return parseObject(body);
    }

    /**
     * Parses a {@code {"tasks":[...], "onComplete":{...}}} body: 1 to {@value #MAX_BATCH} tasks, each checked exactly
     * as {@link #read} checks one. All or nothing: one 400 lists every bad task's errors, each with the task's
     * {@code index} (-1 for the onComplete task) and its path in the body.
     */
    public BatchRequest readBatch(byte[] body, String idempotencyKeyHeader, String traceparent) {
        JsonNode root = parseObject(body);
        List<Problem.FieldError> errors = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!BATCH_FIELDS.contains(name)) {
                errors.add(new Problem.FieldError(name, "unknown field; a batch has tasks and onComplete"));
            }
        });
        JsonNode tasks = root.get("tasks");
        if (tasks == null || !tasks.isArray()) {
            errors.add(new Problem.FieldError("tasks", "is required: an array of 1 to " + MAX_BATCH + " tasks"));
        } else if (tasks.isEmpty() || tasks.size() > MAX_BATCH) {
            errors.add(new Problem.FieldError(
                    "tasks", "size must be between 1 and " + MAX_BATCH + " (was " + tasks.size() + ")"));
        }
        String key = idempotencyKey(idempotencyKeyHeader, null);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The request does not have the shape {tasks, onComplete}", errors);
        }
        List<ValidatedTask> valid = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            ValidatedTask task = element(tasks.get(i), "tasks[" + i + "]", i, traceparent, errors);
            if (task != null && task.idempotencyKey() != null) {
                errors.add(new Problem.FieldError(
                        "tasks[" + i + "].options.idempotencyKey",
                        "is not allowed in a batch; send the batch's Idempotency-Key header",
                        i));
            }
            valid.add(task);
        }
        ValidatedTask onComplete = null;
        JsonNode then = root.get("onComplete");
        if (then != null && !then.isNull()) {
            onComplete = element(then, "onComplete", -1, traceparent, errors);
            if (onComplete != null
                    && onComplete.delay() != null
                    && !onComplete.delay().isZero()) {
                errors.add(new Problem.FieldError(
                        "onComplete.options.delay", "is not supported: the task runs when the batch is done", -1));
            }
            if (onComplete != null && onComplete.idempotencyKey() != null) {
                errors.add(new Problem.FieldError(
                        "onComplete.options.idempotencyKey",
                        "is not allowed; the onComplete task is submitted once per batch",
                        -1));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(
                    "The batch is invalid; nothing was accepted. Each error names the task by its index", errors);
        }
        return new BatchRequest(valid, onComplete, key, null);
    }

    /** One task of a batch, or null after adding its errors, each prefixed with its path and tagged with its index. */
    private ValidatedTask element(
            JsonNode node, String path, int index, String traceparent, List<Problem.FieldError> errors) {
        try {
            if (node == null || !node.isObject()) {
                throw ProblemException.invalid(
                        "A task must be a JSON object", List.of(new Problem.FieldError("", "must be an object")));
            }
            return readTask(node, null, traceparent);
        } catch (ProblemException e) {
            List<Problem.FieldError> fields = e.problem().errors();
            if (fields == null || fields.isEmpty()) {
                errors.add(new Problem.FieldError(path, e.problem().detail(), index));
            } else {
                for (Problem.FieldError field : fields) {
                    String name = field.field() == null || field.field().isEmpty() ? path : path + "." + field.field();
                    errors.add(new Problem.FieldError(name, field.message(), index));
                }
            }
            return null;
        }
    }

    private ValidatedTask readTask(JsonNode root, String idempotencyKeyHeader, String traceparent) {
        List<Problem.FieldError> errors = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!REQUEST_FIELDS.contains(name)) {
                errors.add(new Problem.FieldError(name, "unknown field; a request has type, payload and options"));
            }
        });
        JsonNode typeNode = root.get("type");
        if (typeNode == null || typeNode.isNull()) {
            errors.add(new Problem.FieldError("type", "is required; one of " + catalogue.names()));
        } else if (!typeNode.isTextual()) {
            errors.add(new Problem.FieldError("type", "must be a string; one of " + catalogue.names()));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The request does not have the shape {type, payload, options}", errors);
        }
        JsonNode payload = root.get("payload");
        if (payload == null || payload.isNull()) {
            payload = JsonNodeFactory.instance.objectNode();
        }
        TaskOptions options = bindOptions(root.get("options"));
        return validate(typeNode.asText(), payload, options, idempotencyKeyHeader, traceparent);
    }

    /** Checks a payload given as a tree (also used by the seed route). */
    public ValidatedTask validate(
            String typeName, JsonNode payload, TaskOptions options, String idempotencyKeyHeader, String traceparent) {
        TaskType type = catalogue
                .find(typeName)
                .orElseThrow(() -> ProblemException.badRequest(
                        "unknown-task-type",
                        "Unknown task type",
                        "Unknown task type '" + typeName + "'; known types: " + catalogue.names()));
        try {
            return check(type, payload, options, idempotencyKeyHeader, traceparent);
        } catch (ProblemException e) {
            throw e.about(type.name());
        }
    }

    private ValidatedTask check(
            TaskType type, JsonNode payload, TaskOptions options, String idempotencyKeyHeader, String traceparent) {
        if (!payload.isObject()) {
            throw ProblemException.invalid(
                    "The payload must be a JSON object",
                    List.of(new Problem.FieldError("payload", "must be an object")));
        }
        Record bound = bind(payload, type.payloadClass(), "payload");
        List<Problem.FieldError> errors = new ArrayList<>(violations(bound, "payload"));
        errors.addAll(violations(options, "options"));
        String callbackProblem = options.callbackUrl() == null ? null : callbacks.urlProblem(options.callbackUrl());
        if (callbackProblem != null) {
            errors.add(new Problem.FieldError("options.callbackUrl", callbackProblem));
        }
        if (errors.isEmpty()) {
            errors.addAll(queries.check(bound));
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(Problem.FieldError::field));
            throw ProblemException.invalid("The " + type.name() + " task is invalid", errors);
        }
        String key = idempotencyKey(idempotencyKeyHeader, options.idempotencyKey());
        int maxAttempts = options.maxAttempts() != null ? options.maxAttempts() : type.maxAttempts();
        // Store the payload as bound and re-serialised, so the worker sees defaults and canonical forms.
        JsonNode canonical = Json.mapper().valueToTree(bound);
        return new ValidatedTask(
                type,
                canonical,
                maxAttempts,
                options.delay(),
                options.priority(),
                traceparent,
                key,
                null,
                options.callbackUrl());
    }

    private static String idempotencyKey(String header, String option) {
        if (header != null && (header.isEmpty() || header.length() > 200)) {
            throw ProblemException.invalid(
                    "The Idempotency-Key header must be 1 to 200 characters",
                    List.of(new Problem.FieldError("Idempotency-Key", "size must be between 1 and 200")));
        }
        if (header != null && option != null && !header.equals(option)) {
            throw ProblemException.invalid(
                    "The Idempotency-Key header and options.idempotencyKey differ",
                    List.of(new Problem.FieldError(
                            "options.idempotencyKey", "differs from the Idempotency-Key header")));
        }
        return header != null ? header : option;
    }

    private TaskOptions bindOptions(JsonNode options) {
        if (options == null || options.isNull()) {
            return TaskOptions.NONE;
        }
        if (!options.isObject()) {
            throw ProblemException.invalid(
                    "The options must be a JSON object",
                    List.of(new Problem.FieldError("options", "must be an object")));
        }
        return bind(options, TaskOptions.class, "options");
    }

    private static JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("malformed-json", "Malformed JSON", "The request body is empty");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw ProblemException.badRequest(
                    "malformed-json",
                    "Malformed JSON",
                    "The body is not valid JSON: " + JsonErrors.cleanMessage(e) + JsonErrors.locationOf(e));
        } catch (IOException e) {
            throw ProblemException.badRequest("malformed-json", "Malformed JSON", "The body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest("malformed-json", "Malformed JSON", "The body must be a JSON object");
        }
        return root;
    }

    private static <T> T bind(JsonNode node, Class<T> target, String prefix) {
        try {
            return Json.mapper().treeToValue(node, target);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid(
                    "The " + prefix + " does not match its schema",
                    List.of(new Problem.FieldError(JsonErrors.fieldOf(prefix, e), JsonErrors.describe(e))));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(
                    "The " + prefix + " does not match its schema",
                    List.of(new Problem.FieldError(prefix, "is invalid")));
        }
    }

    private List<Problem.FieldError> violations(Object bean, String prefix) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<Object> v : validator.validate(bean)) {
            errors.add(new Problem.FieldError(prefix + pathOf(v.getPropertyPath()), v.getMessage()));
        }
        return errors;
    }

    /**
     * The JSON path of a violation: {@code .cc[0]}, {@code .attachments[1].content}. A node's index (or key) is the
     * position in the container before it, so it is written before the node's own name.
     */
    private static String pathOf(Path path) {
        StringBuilder out = new StringBuilder();
        Iterator<Path.Node> nodes = path.iterator();
        while (nodes.hasNext()) {
            Path.Node node = nodes.next();
            if (node.isInIterable()) {
                Object position = node.getIndex() != null ? node.getIndex() : node.getKey();
                if (position != null) {
                    out.append('[').append(position).append(']');
                }
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                out.append('.').append(name);
            }
        }
        return out.toString();
    }
}
