package io.conveyor.worker.handler.fetch;

/**
 * The fetcher will not complete this request, and would refuse it again: a URI that is not http(s) or names no host,
 * a non-public or metadata address, too many redirects or one without a target, a body over the cap.
 */
public class FetchRefusedException extends Exception {

    public FetchRefusedException(String message) {
        super(message);
    }
}
