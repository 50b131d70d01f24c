package io.conveyor.system;

/**
 * The tag of the system scenarios that take minutes (a trained AOT cache; a schedule's full minute with two gateways
 * and two workers). README's test command leaves them out to stay near ten minutes; {@code ./mvnw -Plong-tests} runs
 * only them, and {@code .ci/run} does so right after it.
 */
final class LongTests {

    static final String TAG = "long";

    private LongTests() {}
}
