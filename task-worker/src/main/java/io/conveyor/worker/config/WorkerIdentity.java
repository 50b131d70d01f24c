package io.conveyor.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

/** This worker's name in dead letters and connection names: configured, or host name and process id. */
@ApplicationScoped
public class WorkerIdentity {

    private final String host = localHost();
    private final String name;

    public WorkerIdentity(WorkerConfig config) {
        this.name = config.worker()
                .name()
                .orElseGet(() -> host + "-" + ProcessHandle.current().pid());
    }

    public String name() {
        return name;
    }

    /** The local host name, as this worker reports it in its heartbeats. */
    public String host() {
        return host;
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
