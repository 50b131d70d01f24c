package io.conveyor.gateway.quota;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.testsupport.LocalServices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token buckets in the real Redis: burst, refusal, refill, independence of clients, expiry of idle buckets,
 * atomicity under concurrent requests, and failing open when Redis is down or silent.
 */
@QuarkusTest
class QuotaLimiterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    @Inject
    QuotaLimiter limiter;

    @Inject
    Redis redis;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    /**
     * The application's Redis with a generous timeout: these tests are about the bucket, and a check that timed out
     * on a busy machine would go through unchecked and spoil the count.
     */
    private QuotaLimiter patient() {
        return new QuotaLimiter(redis, registry, settings(Duration.ofSeconds(10)));
    }

    @Test
    void theApplicationsLimiterUsesTheDefaultRate() {
        String client = client();

        QuotaDecision decision = acquire(limiter, client, limiter.defaultRate());

        assertEquals(Rate.parse("200/s"), limiter.defaultRate());
        assertTrue(decision.checked() && decision.allowed(), decision.toString());
        assertEquals(399, decision.remaining());
    }

    @Test
    void allowsTheBurstThenRefusesWithRetryAfter() {
        QuotaLimiter limiter = patient();
        String client = client();
        Rate rate = Rate.parse("5/s");

        for (int i = 1; i <= 10; i++) {
            QuotaDecision decision = acquire(limiter, client, rate);
            assertTrue(decision.checked() && decision.allowed(), "request " + i + ": " + decision);
            assertEquals(10 - i, decision.remaining(), "request " + i);
        }
        QuotaDecision refused = acquire(limiter, client, rate);

        assertTrue(refused.checked(), refused.toString());
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertTrue(refused.nextTokenMillis() > 0 && refused.nextTokenMillis() <= 200, refused.toString());
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals("\"client\";r=0;t=1", refused.headers().get("RateLimit"));
        assertEquals("\"client\";q=10;w=2", refused.headers().get("RateLimit-Policy"));
        assertEquals(1.0, exceeded(client));
    }

    @Test
    void aChargeLeavesTheBucketInDebtUntilTheRefillPaysIt() {
        QuotaLimiter limiter = patient();
        String client = client();
        Rate rate = Rate.parse("5/s");
        assertTrue(acquire(limiter, client, rate).allowed());

        // The rest of a batch of 25 tasks: 24 tokens from a bucket of 9, whatever it holds.
        QuotaDecision charged = limiter.charge(client, rate, 24).await().atMost(WAIT);

        assertTrue(charged.checked() && charged.allowed(), charged.toString());
        assertEquals(0, charged.remaining());
        QuotaDecision refused = acquire(limiter, client, rate);
        assertFalse(refused.allowed(), "in debt, the next request waits");
        // 15 tokens owed and one to take, at 5/s: about 3.2 s until the next request goes through.
        assertTrue(refused.nextTokenMillis() > 2_800 && refused.nextTokenMillis() <= 3_200, refused.toString());
        assertEquals(4, refused.retryAfterSeconds());
    }

    @Test
    void aTokenComesBackAtTheRate() {
        QuotaLimiter limiter = patient();
        String client = client();
        Rate rate = Rate.parse("5/s");
        drain(limiter, client, rate);

        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> acquire(limiter, client, rate).allowed());
    }

    @Test
    void clientsHaveTheirOwnBuckets() {
        QuotaLimiter limiter = patient();
        String greedy = client();
        String other = client();
        Rate rate = Rate.parse("1/m");
        drain(limiter, greedy, rate);

        QuotaDecision decision = acquire(limiter, other, rate);

        assertTrue(decision.checked() && decision.allowed(), decision.toString());
        assertEquals(1, decision.remaining());
        assertFalse(acquire(limiter, greedy, rate).allowed());
    }

    @Test
    void anIdleBucketExpiresOnceItWouldBeFull() {
        QuotaLimiter limiter = patient();
        String client = client();
        Rate rate = Rate.parse("5/s");
        acquire(limiter, client, rate);

        long ttl = (Long) services.redis().call("PTTL", QuotaLimiter.key(client));
        assertTrue(ttl > 0 && ttl <= 200, "one token takes 200 ms to come back, the key lives " + ttl + " ms");
        drain(limiter, client, rate);
        ttl = (Long) services.redis().call("PTTL", QuotaLimiter.key(client));
        assertTrue(ttl > 200 && ttl <= 2_000, "an empty bucket fills in 2 s, the key lives " + ttl + " ms");

        await().atMost(WAIT).until(() -> (Long) services.redis().call("EXISTS", QuotaLimiter.key(client)) == 0L);
    }

    @Test
    void concurrentRequestsNeverTakeMoreThanTheBurst() {
        QuotaLimiter limiter = patient();
        String client = client();
        Rate rate = Rate.parse("10/m"); // a burst of 20; a token comes back every 6 s
        List<Uni<QuotaDecision>> requests = IntStream.range(0, 200)
                .mapToObj(i -> limiter.acquire(client, rate))
                .toList();

        long started = System.nanoTime();
        List<QuotaDecision> decisions =
                Uni.join().all(requests).andFailFast().await().atMost(WAIT);
        long refilled = Duration.ofNanos(System.nanoTime() - started).toSeconds() / 6;

        assertTrue(decisions.stream().allMatch(QuotaDecision::checked), "a check went unanswered");
        long allowed = decisions.stream().filter(QuotaDecision::allowed).count();
        assertTrue(allowed >= 20 && allowed <= 20 + refilled, allowed + " of 200 allowed, burst 20");
    }

    @Test
    void failsOpenWhenRedisIsDown() {
        Redis down = Redis.createClient(vertx, "redis://127.0.0.1:1");
        try {
            assertFailsOpen(new QuotaLimiter(down, registry, settings(Duration.ofSeconds(5))));
        } finally {
            down.close();
        }
    }

    @Test
    void failsOpenWhenRedisDoesNotAnswerInTime() throws IOException {
        // Accepts connections (the kernel does, from its backlog) and never answers a command.
        try (ServerSocket silent = new ServerSocket(0)) {
            Redis mute = Redis.createClient(vertx, "redis://127.0.0.1:" + silent.getLocalPort());
            try {
                long started = System.nanoTime();
                assertFailsOpen(new QuotaLimiter(mute, registry, settings(Duration.ofMillis(250))));
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
            } finally {
                mute.close();
            }
        }
    }

    private void assertFailsOpen(QuotaLimiter limiter) {
        double before = unavailable();
        String client = client();

        QuotaDecision decision = acquire(limiter, client, Rate.parse("1/m"));

        assertTrue(decision.allowed());
        assertFalse(decision.checked());
        assertTrue(decision.headers().isEmpty());
        assertEquals(before + 1, unavailable());
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("conveyor_quota_unavailable_total"));
    }

    private static QuotaDecision acquire(QuotaLimiter limiter, String client, Rate rate) {
        return limiter.acquire(client, rate).await().atMost(WAIT);
    }

    /** Takes every token left, until a request is refused. */
    private static void drain(QuotaLimiter limiter, String client, Rate rate) {
        List<QuotaDecision> taken = new ArrayList<>();
        QuotaDecision decision;
        do {
            decision = acquire(limiter, client, rate);
            taken.add(decision);
        } while (decision.allowed() && taken.size() <= 2 * rate.burst());
        assertTrue(taken.stream().allMatch(QuotaDecision::checked), taken.toString());
        assertFalse(decision.allowed(), taken.toString());
    }

    private String client() {
        String client = "test-" + UUID.randomUUID();
        services.trackKey(QuotaLimiter.key(client));
        return client;
    }

    private double unavailable() {
        return registry.get("conveyor.quota.unavailable").counter().count();
    }

    private double exceeded(String client) {
        Counter counter =
                registry.find("conveyor.quota.exceeded").tag("client", client).counter();
        return counter == null ? 0 : counter.count();
    }

    private static QuotaConfig settings(Duration timeout) {
        return new QuotaConfig() {
            @Override
            public String defaultRate() {
                return "200/s";
            }

            @Override
            public Duration timeout() {
                return timeout;
            }
        };
    }
}
