package io.conveyor.gateway.schedule;

import java.time.Instant;

/**
 * A tick one gateway claimed (claim.lua): the schedule, the tick's time, the task id fixed for the tick, whether the
 * tick was missed (first claimed later than the grace after its time), the attempt (2 and more: the tick was claimed
 * before, by a gateway that died or could not publish), the definition (null when the stored one does not read) and
 * the owner.
 */
public record ScheduleClaim(
        String name,
        Instant tick,
        String taskId,
        boolean missed,
        int attempt,
        ScheduleDefinition definition,
        String client) {}
