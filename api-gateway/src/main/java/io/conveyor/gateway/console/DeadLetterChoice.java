package io.conveyor.gateway.console;

import java.util.List;

import jakarta.ws.rs.FormParam;

/**
 * Which dead letters a replay or discard of the dead-letters page acts on: one (its row's button), the ones ticked,
 * or every one matching the page's filter ({@code all}, with {@code type} and {@code reason}).
 */
public class DeadLetterChoice {

    @FormParam("ids")
    List<String> ids;

    @FormParam("one")
    String one;

    @FormParam("all")
    boolean all;

    @FormParam("type")
    String type;

    @FormParam("reason")
    String reason;
}
