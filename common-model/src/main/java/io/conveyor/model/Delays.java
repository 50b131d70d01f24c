package io.conveyor.model;

import java.time.Duration;
import java.util.List;

/** Maps a wanted delay onto the fixed-TTL retry tiers. Pure functions. */
public final class Delays {

    private static final List<Duration> TIERS = Topology.RETRY_TIERS;

    private Delays() {}

    /** The smallest tier at least {@code delay} long; the largest tier if none is. Used for retries. */
    public static Duration roundUpToTier(Duration delay) {
        for (Duration tier : TIERS) {
            if (tier.compareTo(delay) >= 0) {
                return tier;
            }
        }
        return TIERS.get(TIERS.size() - 1);
    }

    /**
     * The next hop towards a not-before time {@code remaining} away: the largest tier not longer than it
     * (never early by more than nothing), or the smallest tier when less than that remains. A delay longer than
     * the largest tier takes several hops; the worker re-delays a message that arrives before its time.
     */
    public static Duration hopFor(Duration remaining) {
        Duration hop = TIERS.get(0);
        for (Duration tier : TIERS) {
            if (tier.compareTo(remaining) <= 0) {
                hop = tier;
            }
        }
        return hop;
    }
}
