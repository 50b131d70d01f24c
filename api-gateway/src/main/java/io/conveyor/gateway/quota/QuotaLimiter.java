package io.conveyor.gateway.quota;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Per-client request quotas: one token bucket per client in Redis, so every gateway replica takes from the same
 * bucket, checked and taken in one atomic script (token-bucket.lua). Fails open: when Redis fails or does not answer
 * within {@code conveyor.quota.timeout}, the request goes through unchecked, {@code conveyor_quota_unavailable_total}
 * counts it and a warning is logged at most once a minute. Refusals count in
 * {@code conveyor_quota_exceeded_total{client}}: pass only authenticated client names, which the operator
 * configures, never a caller's text, so the tag stays bounded.
 */
@ApplicationScoped
public class QuotaLimiter {

    private static final Logger LOG = Logger.getLogger(QuotaLimiter.class);
    private static final String SCRIPT = load("token-bucket.lua");
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    private final Redis redis;
    private final MeterRegistry registry;
    private final Rate defaultRate;
    private final Duration timeout;
    private final Counter unavailable;
    /** Refusals by client: a refused request should not look its counter up in the registry. */
    private final Map<String, Counter> exceeded = new ConcurrentHashMap<>();

    private final OutageLog outages = new OutageLog(LOG, WARNING_INTERVAL, System::nanoTime);

    public QuotaLimiter(Redis redis, MeterRegistry registry, QuotaConfig config) {
        this.redis = redis;
        this.registry = registry;
        this.defaultRate = Rate.parse(config.defaultRate());
        this.timeout = config.timeout();
        this.unavailable = Counter.builder("conveyor.quota.unavailable")
                .description("Quota checks let through unchecked because Redis failed or was too slow")
                .register(registry);
    }

    /** The Redis key of a client's bucket. */
    public static String key(String client) {
        return StateKeys.PREFIX + "quota:" + client;
    }

    /** The rate of a client that has none of its own ({@code CONVEYOR_CLIENT_RATE}). */
    public Rate defaultRate() {
        return defaultRate;
    }

    /** Takes one token from the client's bucket, refilled at {@code rate}; never fails. */
    public Uni<QuotaDecision> acquire(String client, Rate rate) {
        return run(client, rate, List.of());
    }

    /**
     * Takes {@code tokens} more from the client's bucket whatever it holds, leaving it in debt if need be (the rest of
     * a batch, whose request took one token already): the batch goes through, and the client's next requests wait
     * until the refill has paid the debt, so a batch of N tasks costs N at the client's rate. Never fails.
     */
    public Uni<QuotaDecision> charge(String client, Rate rate, long tokens) {
        return run(client, rate, List.of(String.valueOf(tokens)));
    }

    private Uni<QuotaDecision> run(String client, Rate rate, List<String> charge) {
        List<String> args = new ArrayList<>(List.of(
                String.valueOf(rate.count()), String.valueOf(rate.period().toMillis()), String.valueOf(rate.burst())));
        args.addAll(charge);
        String[] evalsha = Scripts.evalsha(SCRIPT, List.of(key(client)), args);
        return send(Command.EVALSHA, evalsha)
                .onFailure(Scripts::isNoScript)
                .recoverWithUni(() -> send(Command.EVAL, Scripts.eval(SCRIPT, evalsha)))
                .ifNoItem()
                .after(timeout)
                .fail()
                .map(answer -> decide(client, rate, answer))
                .onFailure()
                .recoverWithItem(failure -> {
                    unavailable.increment();
                    outages.failed(failure);
                    return QuotaDecision.unchecked(rate);
                });
    }

    private QuotaDecision decide(String client, Rate rate, Response answer) {
        boolean allowed = answer.get(0).toLong() == 1L;
        if (!allowed) {
            exceeded.computeIfAbsent(client, c -> registry.counter("conveyor.quota.exceeded", "client", c))
                    .increment();
        }
        return QuotaDecision.checked(
                rate, allowed, answer.get(1).toLong(), answer.get(2).toLong());
    }

    private Uni<Response> send(Command command, String[] args) {
        Request request = Request.cmd(command);
        for (String arg : args) {
            request.arg(arg);
        }
        return redis.send(request);
    }

    private static String load(String name) {
        try (InputStream in = QuotaLimiter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing Lua script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
