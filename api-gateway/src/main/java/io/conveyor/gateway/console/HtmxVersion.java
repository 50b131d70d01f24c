package io.conveyor.gateway.console;

/** The htmx WebJar's version, which names the directory its files are in; the pom's htmx.version must match. */
final class HtmxVersion {

    static final String VERSION = "2.0.8";

    private HtmxVersion() {}
}
