package io.conveyor.gateway.state;

import java.util.List;

import io.conveyor.model.state.Scripts;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * How the gateway calls Redis for state: a script by its SHA, sent in full when Redis does not know it yet, and any
 * failure of a call turned into {@link StateUnavailableException} (the 503 a client gets). Pure.
 */
public final class StateCalls {

    private StateCalls() {}

    /** Runs {@code script} (its source) with {@code keys} and {@code args}: EVALSHA, or EVAL after a NOSCRIPT. */
    public static Uni<Response> eval(
            ReactiveRedisDataSource redis, String script, List<String> keys, List<String> args) {
        String[] evalsha = Scripts.evalsha(script, keys, args);
        return guard(redis.execute("EVALSHA", evalsha)
                .onFailure(Scripts::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", Scripts.eval(script, evalsha))));
    }

    /** {@code call}, with its failure (whatever it was) as a {@link StateUnavailableException}. */
    public static <T> Uni<T> guard(Uni<T> call) {
        return call.onFailure()
                .transform(e -> e instanceof StateUnavailableException ? e : new StateUnavailableException(e));
    }
}
