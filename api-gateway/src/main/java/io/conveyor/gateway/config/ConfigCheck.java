package io.conveyor.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.conveyor.config.ConfigLimits;
import io.conveyor.gateway.quota.QuotaConfig;
import io.conveyor.gateway.quota.Rate;
import io.conveyor.model.TaskCatalogue;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a gateway with a setting outside the limits {@link GatewayConfig} and {@link QuotaConfig}
 * declare, a default client rate that is not a rate, or a queue limit override for a type it does not offer
 * ({@link QueueMaxLengths}) or a schedule lease no longer than the confirm timeout, naming each key and variable; runs before every other
 * startup step, so no component sees such a value.
 */
@ApplicationScoped
public class ConfigCheck {

    void check(
            @Observes @Priority(1) StartupEvent event,
            Config config,
            GatewayConfig gateway,
            QuotaConfig quota,
            TaskCatalogue catalogue) {
        Function<String, String> variables = key -> ConfigLimits.variableOf(config, key);
        List<String> broken =
                new ArrayList<>(ConfigLimits.violations("conveyor", GatewayConfig.class, gateway, variables));
        broken.addAll(ConfigLimits.violations("conveyor.quota", QuotaConfig.class, quota, variables));
        broken.addAll(unreadableRates(quota, variables));
        broken.addAll(shortLease(gateway, variables));
        ConfigLimits.refuseAny(broken);
        QueueMaxLengths.check(gateway, catalogue, config);
    }

    /**
     * A schedule's lease must outlast a publish: a tick whose claimer is still waiting for the broker's confirm when
     * its lease ends would be fired again by another gateway (as the same task, but published twice).
     */
    static List<String> shortLease(GatewayConfig gateway, Function<String, String> variables) {
        String key = "conveyor.schedules.lease";
        if (gateway.schedules().lease().compareTo(gateway.publish().confirmTimeout()) > 0) {
            return List.of();
        }
        return List.of(key + " (" + variables.apply(key) + ") must be longer than conveyor.publish.confirm-timeout ("
                + variables.apply("conveyor.publish.confirm-timeout") + "), was "
                + gateway.schedules().lease());
    }

    /** The default client rate, unless {@link Rate} reads it. */
    static List<String> unreadableRates(QuotaConfig quota, Function<String, String> variables) {
        String key = "conveyor.quota.default-rate";
        try {
            Rate.parse(quota.defaultRate());
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(
                    key + " (" + variables.apply(key) + ") " + Rate.RULE + ", was \"" + quota.defaultRate() + "\"");
        }
    }
}
