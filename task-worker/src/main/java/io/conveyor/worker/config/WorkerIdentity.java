package io.conveyor.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

/** This worker's name in dead letters and connection names: configured, or host name and process id. */
@ApplicationScoped
public class WorkerIdentity {

    private final String name;

    public WorkerIdentity(WorkerConfig config) {
        this.name = config.worker().name().orElseGet(WorkerIdentity::defaultName);
    }

    public String name() {
        return name;
    }

    private static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
