package io.conveyor.gateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import io.conveyor.gateway.deadletter.DeadLetterQueue;
import io.conveyor.gateway.publish.QueueFullException;
import io.conveyor.model.DeadLetter;
import io.conveyor.model.TaskCatalogue;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The dead letters: filter by type and reason; replay or discard one, the ones selected, or every one the filter
 * matches, each after a confirmation that says how many. "Every one" means the ones matching when the action runs,
 * read from the queue again then.
 */
@Path("/console/dead-letters")
public class ConsoleDeadLetters {

    /** How many dead letters a page reads at most; the page says when there are more. */
    static final int SCAN = 1000;
    /** How many of them it lists. */
    static final int SHOWN = 200;

    static final List<String> REASONS =
            List.of("exhausted", "non-retryable", "poison", "delivery-limit", "broker-delivery-limit");

    private final ConsolePages pages;
    private final DeadLetterQueue deadLetters;
    private final TaskCatalogue catalogue;
    private final SecurityIdentity identity;

    public ConsoleDeadLetters(
            ConsolePages pages, DeadLetterQueue deadLetters, TaskCatalogue catalogue, SecurityIdentity identity) {
        this.pages = pages;
        this.deadLetters = deadLetters;
        this.catalogue = catalogue;
        this.identity = identity;
    }

    @GET
    public Response list(
            @QueryParam("type") String type,
            @QueryParam("reason") String reason,
            @QueryParam("done") String done,
            @QueryParam("n") Integer count,
            @QueryParam("left") Integer left,
            @BeanParam ConsoleRequest request) {
        Viewer viewer = request.viewer(identity);
        Response refused = pages.refusal(viewer, "/console/dead-letters");
        if (refused != null) {
            return refused;
        }
        String t = blank(type);
        String r = blank(reason);
        List<DeadLetter> matching = matching(t, r);
        ConsolePages.Data data = ConsolePages.data(viewer, "dead-letters", "Dead letters", notice(done, count, left))
                .with("type", t)
                .with("reason", r)
                .with("types", catalogue.names().stream().sorted().toList())
                .with("reasons", REASONS)
                .with("letters", matching.stream().limit(SHOWN).map(DeadRow::of).toList())
                .with("count", matching.size() >= SCAN ? SCAN + "+" : String.valueOf(matching.size()))
                .with("more", matching.size() > SHOWN)
                .with("filtered", t != null || r != null)
                .with("shown", SHOWN);
        return Html.page(200, pages.render("dead-letters", data));
    }

    /** One dead letter as the page lists it: its failure time written as every other time on the console. */
    public record DeadRow(
            String id,
            String type,
            String reason,
            String errorClass,
            String errorMessage,
            int attempts,
            String failedAt) {

        static DeadRow of(DeadLetter d) {
            String failedAt = d.failedAt() == null ? "" : d.failedAt();
            try {
                failedAt = Format.time(Instant.parse(failedAt));
            } catch (DateTimeParseException e) {
                // Not a time this system wrote: shown as it is.
            }
            return new DeadRow(d.id(), d.type(), d.reason(), d.errorClass(), d.errorMessage(), d.attempts(), failedAt);
        }
    }

    @POST
    @Path("replay")
    public Response replay(@BeanParam DeadLetterChoice choice, @BeanParam ConsoleRequest request) {
        return act(choice, request, chosen -> {
            DeadLetterQueue.Replayed replayed;
            try {
                replayed = deadLetters.replay(chosen);
            } catch (QueueFullException e) {
                return ConsoleActions.problem(409, e.getMessage());
            }
            return Html.htmxRedirect(back(choice) + "done=replayed&n=" + replayed.replayed() + "&left="
                    + replayed.unroutable().size());
        });
    }

    @POST
    @Path("discard")
    public Response discard(@BeanParam DeadLetterChoice choice, @BeanParam ConsoleRequest request) {
        return act(choice, request, chosen -> {
            int removed = deadLetters.discard(chosen);
            return Html.htmxRedirect(back(choice) + "done=discarded&n=" + removed);
        });
    }

    /** The checks both actions pass, then {@code action} on the dead letters chosen. */
    private Response act(DeadLetterChoice choice, ConsoleRequest request, Function<Set<String>, Response> action) {
        Response refused = request.actionRefusal(identity);
        if (refused != null) {
            return refused;
        }
        Set<String> chosen = chosen(choice);
        if (chosen.isEmpty()) {
            return ConsoleActions.problem(400, "Select at least one dead letter.");
        }
        return action.apply(chosen);
    }

    /** One dead letter (its row's button), every one matching the filter, or the ones selected. */
    private Set<String> chosen(DeadLetterChoice choice) {
        if (blank(choice.one) != null) {
            return Set.of(choice.one);
        }
        if (choice.all) {
            Set<String> every = new LinkedHashSet<>();
            matching(blank(choice.type), blank(choice.reason)).forEach(d -> every.add(d.id()));
            return every;
        }
        return choice.ids == null ? Set.of() : new LinkedHashSet<>(choice.ids);
    }

    private List<DeadLetter> matching(String type, String reason) {
        return deadLetters.browse(type, SCAN).stream()
                .filter(d -> reason == null || reason.equals(d.reason()))
                .toList();
    }

    private static String notice(String done, Integer count, Integer left) {
        if (done == null || count == null) {
            return null;
        }
        String n = count + " dead letter" + (count == 1 ? "" : "s");
        return switch (done) {
            case "replayed" ->
                "Replayed " + n + ": queued again."
                        + (left != null && left > 0
                                ? " " + left + " could not run again (an unknown type, not a task, or no queue "
                                        + "took it) and stay dead."
                                : "");
            case "discarded" -> "Discarded " + n + " for good.";
            default -> null;
        };
    }

    private static String back(DeadLetterChoice choice) {
        String type = choice.type;
        String reason = choice.reason;
        StringBuilder link = new StringBuilder("/console/dead-letters?");
        if (blank(type) != null) {
            link.append("type=")
                    .append(URLEncoder.encode(type.strip(), StandardCharsets.UTF_8))
                    .append('&');
        }
        if (blank(reason) != null) {
            link.append("reason=")
                    .append(URLEncoder.encode(reason.strip(), StandardCharsets.UTF_8))
                    .append('&');
        }
        return link.toString();
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
