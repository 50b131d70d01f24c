package io.conveyor.gateway.security;

import java.util.Objects;

import io.conveyor.model.BatchView;
import io.conveyor.model.TaskView;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is asking, as the task endpoints need it: the client that owns what it submits (null for protected mode's
 * local identity, whose tasks record no client), whether it may see every client's tasks (reader, operator) and
 * whether it may cancel any task (operator).
 */
public record Caller(String client, boolean seesAll, boolean cancelsAll) {

    public static Caller of(SecurityIdentity identity) {
        return new Caller(
                ApiKeyMechanism.isLocal(identity)
                        ? null
                        : identity.getPrincipal().getName(),
                identity.hasRole(Roles.READER) || identity.hasRole(Roles.OPERATOR),
                identity.hasRole(Roles.OPERATOR));
    }

    /** True when the caller may see this task: its own, or any when it reads every task. */
    public boolean mayRead(TaskView view) {
        return view != null && readsOf(view.client());
    }

    /** True when the caller may read this batch: the same rule as for a task. */
    public boolean mayRead(BatchView view) {
        return view != null && readsOf(view.client());
    }

    private boolean readsOf(String owner) {
        return seesAll || Objects.equals(owner, client);
    }

    /** True when the caller may cancel this task: its own, or any for an operator. */
    public boolean mayCancel(TaskView view) {
        return view != null && (cancelsAll || Objects.equals(view.client(), client));
    }
}
