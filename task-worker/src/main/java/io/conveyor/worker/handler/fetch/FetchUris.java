package io.conveyor.worker.handler.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Which URIs the fetcher accepts as a source or a redirect target, and how a URI appears in a message. Pure. */
final class FetchUris {

    private FetchUris() {}

    /** {@code uri} itself, if it is an absolute http(s) URI with a host and no user info. */
    static URI source(URI uri) throws FetchRefusedException {
        return checked(uri, "Source");
    }

    /** A redirect's {@code Location}, resolved against the URI that answered with it, and checked like a source. */
    static URI redirect(String location, URI base) throws FetchRefusedException {
        URI uri;
        try {
            // URI.resolve drops the slash between a path-less base (http://host) and a relative reference.
            uri = (base.getRawPath() == null || base.getRawPath().isEmpty() ? base.resolve("/") : base)
                    .resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchRefusedException("Not a valid URI in a redirect: " + e.getMessage());
        }
        return checked(uri, "Redirect target");
    }

    private static URI checked(URI uri, String role) throws FetchRefusedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchRefusedException(role + " must be http or https, not '" + scheme + "'");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new FetchRefusedException("URI needs a host name and no user info: " + describe(uri));
        }
        return uri;
    }

    /** A URI fit for an error message: no query or fragment, which may carry credentials (signed URLs). */
    static String describe(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (path.length() > 200 ? path.substring(0, 200) + "..." : path);
    }
}
