package io.conveyor.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.conveyor.model.BatchAccepted;
import io.conveyor.model.BatchView;
import io.conveyor.model.DeadLetter;
import io.conveyor.model.Json;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskDefinition;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.TaskView;

/**
 * The Java client of Conveyor's HTTP API: submit a payload record, read, await, list and cancel tasks. Thread-safe;
 * build one per gateway and share it. Errors are {@link ConveyorException}s carrying the gateway's problem detail.
 *
 * <pre>{@code
 * try (ConveyorClient conveyor = ConveyorClient.builder().baseUrl("http://localhost:8080").apiKey(key).build()) {
 *     TaskAccepted task = conveyor.submit(new SendEmailPayload("ada@example.com", "Hi", "Hello", null, null, null));
 *     TaskView done = conveyor.await(task.id(), Duration.ofMinutes(2));
 * }
 * }</pre>
 */
public final class ConveyorClient implements AutoCloseable {

    /** The header that makes a submit idempotent. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final String TASKS = "/api/v1/tasks";
    private static final String BATCHES = "/api/v1/batches";
    private static final String JSON = "application/json";
    private static final String DEAD_LETTERS = "/api/v1/dead-letters";
    private static final String TASK_TYPES = "/api/v1/task-types";

    private final String base;
    private final String authorization;
    private final Duration requestTimeout;
    private final Duration longPollCap;
    private final RetryPolicy retry;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Sleeper sleeper;

    private ConveyorClient(Builder builder) {
        String url = Objects.requireNonNull(builder.baseUrl, "baseUrl").toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.authorization = builder.apiKey == null ? null : "Bearer " + builder.apiKey;
        this.requestTimeout = builder.requestTimeout;
        this.longPollCap = builder.longPollCap;
        this.retry = builder.retry;
        this.ownsHttp = builder.http == null;
        this.http = ownsHttp
                ? HttpClient.newBuilder()
                        .connectTimeout(builder.connectTimeout)
                        // Plain http: no h2c upgrade dance on the first request.
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                : builder.http;
        this.mapper = builder.mapper == null ? Json.mapper() : builder.mapper;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Submits a payload record with the type's defaults and a generated idempotency key. */
    public TaskAccepted submit(Object payload) {
        return submit(payload, SubmitOptions.defaults());
    }

    /**
     * Submits a payload record; its task type is the name of the record's {@code @TaskDefinition}, the catalogue
     * entry common-model's records carry.
     *
     * @throws IllegalArgumentException when the payload's class is not a task payload record
     */
    public TaskAccepted submit(Object payload, SubmitOptions options) {
        Objects.requireNonNull(payload, "payload");
        return submit(typeOf(payload.getClass()), payload, options);
    }

    /**
     * Submits a task of a type by name: {@code payload} is anything Jackson writes as the type's payload object (a
     * record, a map, a {@code JsonNode}), or null for a type without fields. Answers once the broker confirmed it.
     */
    public TaskAccepted submit(String type, Object payload, SubmitOptions options) {
        HttpResponse<byte[]> response = post(type, payload, options, null);
        if (response.statusCode() == 202 || response.statusCode() == 200) {
            return read(response, TaskAccepted.class);
        }
        throw failure(response);
    }

    /** The task's current view, or empty when there is no such task (or it belongs to another client). */
    public Optional<TaskView> get(String id) {
        HttpResponse<byte[]> response = fetch(taskPath(id), requestTimeout);
        if (response.statusCode() == 200) {
            return Optional.of(read(response, TaskView.class));
        }
        ConveyorException failure = failure(response);
        if (failure instanceof TaskNotFoundException) {
            return Optional.empty();
        }
        throw failure;
    }

    /**
     * Waits until the task is terminal (SUCCEEDED, DEAD, CANCELLED) or {@code timeout} has passed, with the API's
     * long poll: one request per {@link Builder#longPollCap} (60 s) at most, no thread busy meanwhile on the gateway.
     * Answers the last view read, which is not terminal when the time ran out.
     *
     * @throws TaskNotFoundException when there is no such task
     */
    public TaskView await(String id, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Instant deadline = clock.instant().plus(timeout);
        TaskView last = null;
        while (true) {
            Duration remaining = Duration.between(clock.instant(), deadline).truncatedTo(ChronoUnit.MILLIS);
            if (!remaining.isPositive() && last != null) {
                return last;
            }
            Duration wait = remaining.isNegative() ? Duration.ZERO : min(remaining, longPollCap);
            last = poll(id, wait);
            if (last.status().terminal()) {
                return last;
            }
        }
    }

    /**
     * One page of tasks, newest first; every argument may be null ({@code limit}: 20, at most 100). A producer sees
     * only its own tasks.
     */
    public TaskPage list(TaskStatus status, String type, Integer limit, String cursor) {
        List<String> query = new ArrayList<>();
        if (status != null) {
            query.add("status=" + status.name());
        }
        if (type != null) {
            query.add("type=" + encode(type));
        }
        if (limit != null) {
            query.add("limit=" + limit);
        }
        if (cursor != null) {
            query.add("cursor=" + encode(cursor));
        }
        String path = withQuery(TASKS, query);
        HttpResponse<byte[]> response = fetch(path, requestTimeout);
        if (response.statusCode() == 200) {
            return read(response, TaskPage.class);
        }
        throw failure(response);
    }

    /**
     * Cancels a task that has not started (QUEUED, delayed, or waiting for a retry) and answers its CANCELLED view.
     *
     * @throws ConflictException     when it runs or already finished
     * @throws TaskNotFoundException when there is no such task
     */
    public TaskView cancel(String id) {
        // A lost answer is not retried: the cancel may have happened, and a second one would be a 409.
        HttpResponse<byte[]> response =
                exchange(() -> request(taskPath(id), requestTimeout).DELETE().build(), Retries.RATE_OR_UNAVAILABLE);
        if (response.statusCode() == 200) {
            return read(response, TaskView.class);
        }
        throw failure(response);
    }

    // Batches: many tasks submitted and followed together, with an optional task once all are terminal.

    /**
     * Submits 1 to 1000 tasks as one batch: validated all or nothing (one invalid task refuses the batch, the
     * exception's problem listing every bad one by index), answered once the broker confirmed every task.
     *
     * @throws InvalidTaskException when any task (or the onComplete task) is invalid; nothing was submitted
     */
    public BatchAccepted submitBatch(List<BatchTask> tasks, BatchOptions options) {
        Objects.requireNonNull(tasks, "tasks");
        BatchOptions chosen = options == null ? BatchOptions.defaults() : options;
        String key = chosen.idempotencyKey() != null
                ? chosen.idempotencyKey()
                : chosen.generateKey() ? UUID.randomUUID().toString() : null;
        ObjectNode batch = mapper.createObjectNode();
        var array = batch.putArray("tasks");
        tasks.forEach(task -> array.add(requestBody(task.type(), task.payload(), task.options())));
        if (chosen.onComplete() != null) {
            BatchTask then = chosen.onComplete();
            batch.set("onComplete", requestBody(then.type(), then.payload(), then.options()));
        }
        byte[] body = write(batch);
        Supplier<HttpRequest> request = () -> {
            HttpRequest.Builder post = request(BATCHES, requestTimeout)
                    .header("Content-Type", JSON)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (key != null) {
                post.header(IDEMPOTENCY_KEY, key);
            }
            return post.build();
        };
        HttpResponse<byte[]> response = exchange(request, key != null ? Retries.KEYED_SUBMIT : Retries.RATE_ONLY);
        if (response.statusCode() == 202) {
            return read(response, BatchAccepted.class);
        }
        throw failure(response);
    }

    /** The batch's current view (counts per status, done), or empty when there is no such batch. */
    public Optional<BatchView> getBatch(String id) {
        try {
            return Optional.of(pollBatch(id, Duration.ZERO));
        } catch (BatchNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Waits until every task of the batch is terminal or {@code timeout} has passed, long-polling as {@link #await}
     * does; answers the last view read, which is not done when the time ran out.
     *
     * @throws BatchNotFoundException when there is no such batch
     */
    public BatchView awaitBatch(String id, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Instant deadline = clock.instant().plus(timeout);
        BatchView last = null;
        while (true) {
            Duration remaining = Duration.between(clock.instant(), deadline).truncatedTo(ChronoUnit.MILLIS);
            if (!remaining.isPositive() && last != null) {
                return last;
            }
            Duration wait = remaining.isNegative() ? Duration.ZERO : min(remaining, longPollCap);
            last = pollBatch(id, wait);
            if (last.done()) {
                return last;
            }
        }
    }

    private BatchView pollBatch(String id, Duration wait) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a batch id is required");
        }
        String path = BATCHES + "/" + encode(id) + (wait.isZero() ? "" : "?wait=" + wait);
        HttpResponse<byte[]> response = fetch(path, requestTimeout.plus(wait));
        if (response.statusCode() == 200) {
            return read(response, BatchView.class);
        }
        Problem problem = problemOf(response);
        if (response.statusCode() == 404 && "batch-not-found".equals(problem.slug())) {
            throw new BatchNotFoundException(problem, null, null);
        }
        throw failure(response);
    }

    // ---- Dead letters, task types and a submit that waits: the calls the conveyor CLI needs. ----

    /**
     * Submits a task of a type by name, as {@link #submit(String, Object, SubmitOptions)}, and waits up to {@code
     * wait} for its outcome: the first part (at most {@link Builder#longPollCap}, 60 s) in the submit's own answer
     * ({@code Prefer: wait=N}), the rest, if the task is still running then, with {@link #await}'s long polls. Answers
     * the last view read, which is not terminal when the time ran out.
     */
    public TaskView submitAndWait(String type, Object payload, SubmitOptions options, Duration wait) {
        Objects.requireNonNull(wait, "wait");
        if (!wait.isPositive()) {
            throw new IllegalArgumentException("wait must be positive");
        }
        Instant deadline = clock.instant().plus(wait);
        Duration first = min(wait, longPollCap);
        HttpResponse<byte[]> response = post(type, payload, options, first);
        if (response.statusCode() == 200) {
            return read(response, TaskView.class);
        }
        if (response.statusCode() != 202) {
            throw failure(response);
        }
        // 202: not finished within the wait the gateway granted (it may cap it lower); await the rest, if any.
        String id = read(response, TaskAccepted.class).id();
        return await(id, Duration.between(clock.instant(), deadline));
    }

    /**
     * Dead tasks, oldest first; both arguments may be null ({@code type}: all types, else a catalogue type or one a
     * dead letter carries; {@code limit}: 50, at most 1000). Needs the reader role.
     */
    public List<DeadLetter> deadLetters(String type, Integer limit) {
        List<String> query = new ArrayList<>();
        if (type != null) {
            query.add("type=" + encode(type));
        }
        if (limit != null) {
            query.add("limit=" + limit);
        }
        String path = withQuery(DEAD_LETTERS, query);
        HttpResponse<byte[]> response = fetch(path, requestTimeout);
        if (response.statusCode() == 200) {
            return readList(response, DeadLetter.class);
        }
        throw failure(response);
    }

    /**
     * Sends a dead task back to its queue with its attempts reset (operator role). A 404 (no such dead letter) or
     * 409 (it cannot run: unknown type, not a task envelope, no queue bound) is a {@link ConveyorException} with
     * that status; 409 is a {@link ConflictException}.
     */
    public void replayDeadLetter(String id) {
        String path = deadLetterPath(id) + "/replay";
        // Not retried after a lost answer: the replay may have happened, and a second one would be a 404.
        HttpResponse<byte[]> response = exchange(
                () -> request(path, requestTimeout)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                Retries.RATE_OR_UNAVAILABLE);
        if (response.statusCode() != 202) {
            throw failure(response);
        }
    }

    /**
     * Replays every dead task (of {@code type}, or of all types when null) that can run (operator role); answers how
     * many went back and the ids left dead because they cannot run.
     */
    public ReplayedDeadLetters replayDeadLetters(String type) {
        String path = type == null ? DEAD_LETTERS + "/replay" : DEAD_LETTERS + "/replay?type=" + encode(type);
        HttpResponse<byte[]> response = exchange(
                () -> request(path, requestTimeout)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                Retries.RATE_OR_UNAVAILABLE);
        if (response.statusCode() == 202) {
            return read(response, ReplayedDeadLetters.class);
        }
        throw failure(response);
    }

    /** Discards a dead letter and its state for good (operator role); a 404 when there is no such dead letter. */
    public void discardDeadLetter(String id) {
        String path = deadLetterPath(id);
        HttpResponse<byte[]> response =
                exchange(() -> request(path, requestTimeout).DELETE().build(), Retries.RATE_OR_UNAVAILABLE);
        if (response.statusCode() != 204 && response.statusCode() != 200) {
            throw failure(response);
        }
    }

    /** The gateway's catalogue: each task type with its queue, defaults and payload schema. */
    public List<TaskTypeInfo> taskTypes() {
        HttpResponse<byte[]> response = fetch(TASK_TYPES, requestTimeout);
        if (response.statusCode() == 200) {
            return readList(response, TaskTypeInfo.class);
        }
        throw failure(response);
    }

    /**
     * POSTs a task; with {@code preferWait} also {@code Prefer: wait=N} (whole seconds, at least 1) and a request
     * timeout that long longer.
     */
    private HttpResponse<byte[]> post(String type, Object payload, SubmitOptions options, Duration preferWait) {
        Objects.requireNonNull(type, "type");
        SubmitOptions chosen = options == null ? SubmitOptions.defaults() : options;
        String key = chosen.idempotencyKey() != null
                ? chosen.idempotencyKey()
                : chosen.generateKey() ? UUID.randomUUID().toString() : null;
        byte[] body = write(requestBody(type, payload, chosen));
        long preferSeconds =
                preferWait == null ? 0 : Math.max(1, preferWait.plusMillis(999).toSeconds());
        Duration timeout = requestTimeout.plusSeconds(preferSeconds);
        Supplier<HttpRequest> request = () -> {
            HttpRequest.Builder post = request(TASKS, timeout)
                    .header("Content-Type", JSON)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (key != null) {
                post.header(IDEMPOTENCY_KEY, key);
            }
            if (preferSeconds > 0) {
                post.header("Prefer", "wait=" + preferSeconds);
            }
            return post.build();
        };
        // With a key every retry is safe: the gateway answers the first task again. Without one, only a 429 (nothing
        // was done) is: a 503 after a confirm timeout or a lost answer may have left a task behind.
        Retries retries = key != null ? Retries.KEYED_SUBMIT : Retries.RATE_ONLY;
        return exchange(request, retries);
    }

    private <T> List<T> readList(HttpResponse<byte[]> response, Class<T> element) {
        try {
            return mapper.readerFor(mapper.getTypeFactory().constructCollectionType(List.class, element))
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(response.body());
        } catch (IOException e) {
            throw new ConveyorException(
                    new Problem(
                            "about:blank",
                            "Unreadable answer",
                            response.statusCode(),
                            "The gateway's " + response.statusCode() + " answer is not a list of "
                                    + element.getSimpleName() + ": " + e.getMessage(),
                            List.of()),
                    null,
                    e);
        }
    }

    private static String deadLetterPath(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a dead letter id is required");
        }
        return DEAD_LETTERS + "/" + encode(id);
    }

    /** A GET, retried as reads are (every failure that may pass). */
    private HttpResponse<byte[]> fetch(String path, Duration timeout) {
        return exchange(() -> request(path, timeout).GET().build(), Retries.SAFE);
    }

    private static String withQuery(String path, List<String> query) {
        return query.isEmpty() ? path : path + "?" + String.join("&", query);
    }

    /** Closes the HTTP client if this client built it; one passed to the builder stays open. */
    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    /** The task type of a payload record: the name in its {@code @TaskDefinition}. */
    static String typeOf(Class<?> payloadClass) {
        TaskDefinition definition = payloadClass.getAnnotation(TaskDefinition.class);
        if (definition == null) {
            throw new IllegalArgumentException(payloadClass.getName()
                    + " is not a task payload (no @TaskDefinition): submit(type, payload, options) names the type");
        }
        return definition.name();
    }

    private TaskView poll(String id, Duration wait) {
        String path = wait.isZero() ? taskPath(id) : taskPath(id) + "?wait=" + wait;
        // The request may take the whole wait; the usual timeout counts from when the gateway should answer.
        HttpResponse<byte[]> response = fetch(path, requestTimeout.plus(wait));
        if (response.statusCode() == 200) {
            return read(response, TaskView.class);
        }
        throw failure(response);
    }

    private ObjectNode requestBody(String type, Object payload, SubmitOptions options) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", type);
        if (payload != null) {
            body.set("payload", mapper.valueToTree(payload));
        }
        // Written by hand, not through TaskOptions: the delay must be ISO-8601 whatever the mapper's modules.
        ObjectNode wire = mapper.createObjectNode();
        if (options.maxAttempts() != null) {
            wire.put("maxAttempts", options.maxAttempts());
        }
        if (options.delay() != null) {
            wire.put("delay", options.delay().toString());
        }
        if (options.priority() != null) {
            wire.put("priority", options.priority());
        }
        if (options.callbackUrl() != null) {
            wire.put("callbackUrl", options.callbackUrl());
        }
        if (!wire.isEmpty()) {
            body.set("options", wire);
        }
        return body;
    }

    /** Which failures a call retries. */
    private enum Retries {
        /** Reads: 429, 503 and failed connections. */
        SAFE(true, true, true, false),
        /** A submit with an idempotency key: as a read, and a 409 while the same key is still being accepted. */
        KEYED_SUBMIT(true, true, true, true),
        /** A cancel: 429 and 503, which did nothing. */
        RATE_OR_UNAVAILABLE(true, true, false, false),
        /** A submit without a key: only a 429. */
        RATE_ONLY(true, false, false, false);

        final boolean rateLimited;
        final boolean unavailable;
        final boolean connection;
        final boolean keyInProgress;

        Retries(boolean rateLimited, boolean unavailable, boolean connection, boolean keyInProgress) {
            this.rateLimited = rateLimited;
            this.unavailable = unavailable;
            this.connection = connection;
            this.keyInProgress = keyInProgress;
        }

        boolean retries(HttpResponse<byte[]> response, Problem problem) {
            return switch (response.statusCode()) {
                case 429 -> rateLimited;
                case 503 -> unavailable;
                case 409 -> keyInProgress && "idempotency-key-in-progress".equals(problem.slug());
                default -> false;
            };
        }
    }

    /**
     * Sends the request, retrying what {@code retries} allows within the retry policy, and answers the last response.
     */
    private HttpResponse<byte[]> exchange(Supplier<HttpRequest> request, Retries retries) {
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.get(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                Duration pause = retry.backoff(attempt);
                if (!retries.connection || !mayRetry(attempt, waited, pause)) {
                    throw new UnavailableException(
                            new Problem(
                                    Problem.UNREACHABLE,
                                    "Gateway unreachable",
                                    0,
                                    "No answer from " + base + ": " + e,
                                    List.of()),
                            null,
                            e);
                }
                waited = waited.plus(pause);
                sleep(pause);
                continue;
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            int status = response.statusCode();
            if (status < 400 || !retries.retries(response, problemOf(response))) {
                return response;
            }
            Optional<Duration> asked = retryAfter(response);
            Duration pause = asked.isPresent() ? asked.get() : retry.backoff(attempt);
            if (!mayRetry(attempt, waited, pause)) {
                return response;
            }
            waited = waited.plus(pause);
            sleep(pause);
        }
    }

    private boolean mayRetry(int attempt, Duration waited, Duration pause) {
        return attempt < retry.maxAttempts() && waited.plus(pause).compareTo(retry.maxTotalWait()) <= 0;
    }

    private void sleep(Duration pause) {
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private static ConveyorException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ConveyorException(
                new Problem(Problem.INTERRUPTED, "Interrupted", 0, "Interrupted while calling the gateway", List.of()),
                null,
                e);
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant());
    }

    /** The typed exception for an error answer. */
    ConveyorException failure(HttpResponse<byte[]> response) {
        Problem problem = problemOf(response);
        Duration after = retryAfter(response).orElse(null);
        return switch (response.statusCode()) {
            case 400, 422 -> new InvalidTaskException(problem, after, null);
            case 401, 403 -> new UnauthorizedException(problem, after, null);
            case 404 ->
                // Only the gateway's answer for a task: a 404 for the route itself means a wrong base URL.
                "task-not-found".equals(problem.slug())
                        ? new TaskNotFoundException(problem, after, null)
                        : new ConveyorException(problem, after, null);
            case 409 -> new ConflictException(problem, after, null);
            case 429 -> new RateLimitedException(problem, after, null);
            case 503 -> new UnavailableException(problem, after, null);
            default -> new ConveyorException(problem, after, null);
        };
    }

    /** The answer's problem detail; one made up from the status when the body is not one (a proxy's HTML page). */
    private Problem problemOf(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (body != null && body.length > 0 && contentType.contains("json")) {
            try {
                Problem problem = lenient(Problem.class).readValue(body);
                if (problem != null && problem.status() == response.statusCode()) {
                    return problem;
                }
            } catch (IOException e) {
                // not a problem detail: described below
            }
        }
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
        return new Problem(
                "about:blank",
                "HTTP " + response.statusCode(),
                response.statusCode(),
                text.length() > 500 ? text.substring(0, 500) + "..." : text,
                List.of());
    }

    private <T> T read(HttpResponse<byte[]> response, Class<T> type) {
        try {
            return lenient(type).readValue(response.body());
        } catch (IOException e) {
            throw new ConveyorException(
                    new Problem(
                            "about:blank",
                            "Unreadable answer",
                            response.statusCode(),
                            "The gateway's " + response.statusCode() + " answer is not a " + type.getSimpleName() + ": "
                                    + e.getMessage(),
                            List.of()),
                    null,
                    e);
        }
    }

    /** A reader that skips fields it does not know: a newer gateway may add some. */
    private ObjectReader lenient(Class<?> type) {
        return mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private byte[] write(ObjectNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write the task as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", JSON);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static String taskPath(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a task id is required");
        }
        return TASKS + "/" + encode(id);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Waits between attempts; a test replaces it to record the waits instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    /** Builds a {@link ConveyorClient}; only the base URL is required. */
    public static final class Builder {

        private URI baseUrl;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration longPollCap = Duration.ofSeconds(60);
        private RetryPolicy retry = RetryPolicy.defaults();
        private HttpClient http;
        private ObjectMapper mapper;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Thread::sleep;

        private Builder() {}

        /** The gateway's root, e.g. {@code http://localhost:8080}. */
        public Builder baseUrl(String url) {
            return baseUrl(URI.create(url));
        }

        public Builder baseUrl(URI url) {
            String scheme = Objects.requireNonNull(url, "baseUrl").getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL: " + url);
            }
            this.baseUrl = url;
            return this;
        }

        /** Sent as {@code Authorization: Bearer <key>} on every call; none for a gateway in protected mode. */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** How long opening a connection may take (10 s); ignored with {@link #httpClient}, which has its own. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long one request may take (30 s); a long poll gets its wait on top. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * The longest wait one long poll of {@link ConveyorClient#await} asks for: the gateway's
         * {@code CONVEYOR_MAX_WAIT} (60 s unless the gateway lowered it; a longer wait is a 400).
         */
        public Builder longPollCap(Duration cap) {
            this.longPollCap = positive(cap, "longPollCap");
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** A client of the caller's (proxy, TLS, executor); {@link ConveyorClient#close} leaves it open. */
        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        /**
         * The mapper for payloads and answers (default: common-model's, which writes dates and durations as ISO-8601
         * text, as the gateway expects); it needs Jackson's Java time module.
         */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.mapper = objectMapper;
            return this;
        }

        Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        Builder sleeper(Sleeper value) {
            this.sleeper = value;
            return this;
        }

        public ConveyorClient build() {
            return new ConveyorClient(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || !value.isPositive()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
