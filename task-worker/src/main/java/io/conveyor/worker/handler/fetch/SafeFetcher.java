package io.conveyor.worker.handler.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import static io.conveyor.worker.handler.fetch.FetchUris.describe;

/**
 * Fetches an http(s) URI with a GET, guarded against server-side request forgery: what a task names is fetched only
 * if it is public.
 *
 * <p>Every address the host resolves to must be public (not loopback, private, link-local, unique-local, CGNAT,
 * unspecified, multicast or reserved) unless {@link FetchConfig#allowPrivate()}; cloud metadata addresses are refused
 * even then. Redirects are followed here, never by the HTTP client, at most {@value #MAX_REDIRECTS}, each target
 * checked like the first. One deadline covers the whole fetch, and the body is capped while it streams.
 *
 * <p>Limit: the address is checked before the client connects, and the client resolves the name again; the JVM's
 * address cache (30 s by default) makes both see the same answer, but a name whose cache entry expires in between
 * could be re-pointed (DNS rebinding). Deployments that must exclude that also block private ranges at the network.
 */
@ApplicationScoped
public class SafeFetcher {

    /** Redirects followed at most in one fetch. */
    public static final int MAX_REDIRECTS = 5;

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** One hop of a fetch: the URI asked for now, with the fetch's own accept header, cap and timeout. */
    private record Request(URI uri, String accept, long maxBytes, Duration timeout) {}

    private final Network network;
    private final boolean allowPrivate;

    public SafeFetcher(Network network, FetchConfig config) {
        this.network = network;
        this.allowPrivate = config.allowPrivate();
    }

    /**
     * The body of the answer to {@code GET uri} (redirects followed), sent with the given {@code Accept} header.
     *
     * @throws FetchRefusedException the request is refused, and would be again (see the exception)
     * @throws FetchStatusException the final answer is not a 2xx
     * @throws HttpTimeoutException no complete answer within {@code timeout}, redirects included
     * @throws IOException the name does not resolve, or the network failed
     */
    public Fetched fetch(URI uri, String accept, long maxBytes, Duration timeout)
            throws IOException, InterruptedException, FetchRefusedException, FetchStatusException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI target = FetchUris.source(uri);
        for (int redirects = 0; ; redirects++) {
            checkAddresses(target);
            HttpResponse<byte[]> response = send(new Request(target, accept, maxBytes, timeout), deadline);
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                if (redirects == MAX_REDIRECTS) {
                    throw new FetchRefusedException(
                            "More than " + MAX_REDIRECTS + " redirects fetching " + describe(target));
                }
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    throw new FetchRefusedException("HTTP " + status + " without a Location from " + describe(target));
                }
                target = FetchUris.redirect(location.get(), target);
                continue;
            }
            if (status >= 200 && status < 300) {
                return new Fetched(response.body(), response.headers().firstValue("Content-Type"));
            }
            throw new FetchStatusException(status, "HTTP " + status + " from " + describe(target));
        }
    }

    private void checkAddresses(URI uri) throws IOException, FetchRefusedException {
        for (InetAddress address : network.resolve(uri.getHost())) {
            String refusal = AddressPolicy.refusal(address, allowPrivate);
            if (refusal != null) {
                throw new FetchRefusedException("Refusing to fetch " + describe(uri) + ": " + uri.getHost()
                        + " resolves to " + address.getHostAddress() + ", " + refusal);
            }
        }
    }

    private HttpResponse<byte[]> send(Request hop, long deadline)
            throws IOException, InterruptedException, FetchRefusedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new HttpTimeoutException("Fetch timed out after " + hop.timeout() + " (redirects included)");
        }
        HttpRequest request = HttpRequest.newBuilder(hop.uri())
                .GET()
                .timeout(Duration.ofNanos(remaining))
                .header("Accept", hop.accept())
                .build();
        CompletableFuture<HttpResponse<byte[]>> answer =
                network.client().sendAsync(request, info -> CappedBody.forResponse(info, hop.maxBytes()));
        try {
            // The request timeout covers the headers only; this deadline also covers a body that trickles in.
            return answer.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException(
                    "No complete answer from " + describe(hop.uri()) + " within " + hop.timeout());
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    private static IOException rethrown(Throwable cause) throws FetchRefusedException {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof FetchRefusedException refused) {
            throw refused;
        }
        return cause instanceof IOException io ? io : new IOException(cause);
    }
}
