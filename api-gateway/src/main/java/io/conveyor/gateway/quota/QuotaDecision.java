package io.conveyor.gateway.quota;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A quota check's outcome: whether the request may go on, and what to tell the client about its quota, as the IETF
 * RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-10, structured-field lists of one item each):
 *
 * <pre>
 * RateLimit-Policy: "client";q=&lt;burst&gt;;w=&lt;seconds to fill the bucket&gt;
 * RateLimit: "client";r=&lt;whole tokens left&gt;;t=&lt;seconds until the next token&gt;
 * </pre>
 *
 * <p>How a token bucket (refilled at rate R, holding at most B = 2R) is told in the draft's terms, which speak of a
 * quota {@code q} per window {@code w}. The policy is {@code q = B} per {@code w = B / R} seconds (two periods of the
 * rate: {@code "client";q=400;w=2} for 200/s), for two reasons: it states the sustained rate exactly (q / w = R), and
 * a client that never sends more than q within any w seconds is never refused: in any T seconds it sends at most
 * q·(T/w + 1) = R·T + B, which is what the bucket admits in T seconds. The policy understates the bucket, which
 * admits up to 2q within w after a pause; the draft allows that: a policy is a hint, and a conservative one cannot
 * make a client fail.
 *
 * <p>{@code r} is the whole tokens left after this request. {@code t} is, as draft -10 defines it, the seconds until
 * additional quota is available: until the next whole token, rounded up, so a client that waits t seconds finds one.
 * Not the time until the bucket is full: on a refusal, Retry-After is the time to the next token, and the draft
 * says Retry-After should not point earlier than {@code t}; with "until full" the two would disagree (Retry-After 1,
 * t 2). So a 429 carries {@code r=0} and {@code t} equal to Retry-After, and for a client within its rate {@code t}
 * is usually 1 (a token comes back every 1/R seconds). Draft -11 reads {@code t} as the seconds within which the
 * client should use no more than {@code r}; these values hold under that reading too, conservatively (the bucket
 * refills meanwhile). {@code qu} is left at its default, requests; no partition key ({@code pk}) is sent, each
 * client having one quota.
 *
 * <p>A check Redis did not answer ({@link #checked()} false) lets the request through and carries no header: it
 * knows nothing about the quota left.
 */
public record QuotaDecision(boolean allowed, boolean checked, Rate rate, long remaining, long nextTokenMillis) {

    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String RATE_LIMIT_HEADER = "RateLimit";
    /** The name of the one quota policy, as both headers identify it. */
    public static final String POLICY_NAME = "client";

    /** Redis's answer: taken or refused, whole tokens left, milliseconds until the next whole token. */
    static QuotaDecision checked(Rate rate, boolean allowed, long remaining, long nextTokenMillis) {
        return new QuotaDecision(allowed, true, rate, Math.max(0, remaining), Math.max(0, nextTokenMillis));
    }

    /** No answer from Redis in time: the request goes through unchecked (fail open). */
    static QuotaDecision unchecked(Rate rate) {
        return new QuotaDecision(true, false, rate, 0, 0);
    }

    /** The value of {@code Retry-After} on a refusal: seconds until the next token, rounded up, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (nextTokenMillis + 999) / 1000);
    }

    /** {@code "client";q=<burst>;w=<seconds>}, the same for every answer to this client. */
    public String policyHeader() {
        return "\"" + POLICY_NAME + "\";q=" + rate.burst() + ";w=" + rate.fillSeconds();
    }

    /** {@code "client";r=<remaining>;t=<seconds>}. */
    public String rateLimitHeader() {
        return "\"" + POLICY_NAME + "\";r=" + remaining + ";t=" + retryAfterSeconds();
    }

    /** The RateLimit header fields to add to the answer, by name; none when the check did not happen. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (checked) {
            headers.put(POLICY_HEADER, policyHeader());
            headers.put(RATE_LIMIT_HEADER, rateLimitHeader());
        }
        return headers;
    }
}
