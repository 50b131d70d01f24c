package io.conveyor.worker.consume;

import java.time.Duration;

import com.rabbitmq.client.AMQP;

import io.conveyor.amqp.TaskMessages;
import io.conveyor.model.Delays;
import io.conveyor.model.Headers;
import io.conveyor.model.Topology;

/**
 * What a delivery's headers alone decide before its handler may run: it runs, it goes back to wait for its
 * not-before time, or it has crash-looped and is dead-lettered. A wait outranks a crash loop, since an early
 * message has not been run on any of its deliveries. Pure.
 */
sealed interface Admission {

    /** The one {@link Run}: most deliveries get it, and it costs no allocation. */
    Admission RUN = new Run();

    /** Run it, if its payload binds and its recorded state allows. */
    record Run() implements Admission {}

    /** A delayed task that arrived before its time: it goes back to a retry tier for {@code hop}. */
    record WaitLonger(Duration hop) implements Admission {}

    /** Redelivered {@code deliveries} times without being settled: dead-letter it instead of running it again. */
    record CrashLoop(int deliveries) implements Admission {}

    static Admission of(AMQP.BasicProperties props, long nowMillis) {
        long early = TaskMessages.longHeader(props, Headers.NOT_BEFORE) - nowMillis;
        if (early > 0) {
            return new WaitLonger(Delays.hopFor(Duration.ofMillis(early)));
        }
        int deliveries = TaskMessages.intHeader(props, Headers.DELIVERY_COUNT, 0);
        return deliveries >= Topology.WORKER_DELIVERY_GUARD ? new CrashLoop(deliveries) : RUN;
    }
}
