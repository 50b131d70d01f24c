package io.conveyor.worker.handler.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * DNS and HTTP as the fetcher meets them: a bean only so that a test can stand in for the outside world (a name that
 * resolves to a public address, served by a local proxy). The client never follows redirects itself.
 */
@ApplicationScoped
public class Network {

    private final HttpClient client;

    @Inject
    public Network(FetchConfig config) {
        this(config.timeout());
    }

    /** A network whose client gives up connecting after {@code connectTimeout}. */
    protected Network(Duration connectTimeout) {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    public InetAddress[] resolve(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }

    public HttpClient client() {
        return client;
    }
}
