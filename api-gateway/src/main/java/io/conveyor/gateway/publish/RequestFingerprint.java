package io.conveyor.gateway.publish;

import io.conveyor.gateway.state.IdempotencyKeys;

/**
 * What makes two requests with one idempotency key "the same request": the task type, the payload as bound and
 * the options in effect; not the body's bytes, so where the key was given (header or {@code options}), field
 * order and white space do not matter, and not the route either, so the seed route and the API share keys.
 */
final class RequestFingerprint {

    private RequestFingerprint() {}

    static String of(ValidatedTask task) {
        return IdempotencyKeys.fingerprint(task.type().name()
                + '\n'
                + task.payload()
                + '\n'
                + task.maxAttempts()
                + '\n'
                + task.delay()
                + '\n'
                + task.priority());
    }
}
