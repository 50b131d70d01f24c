package io.conveyor.worker.handler.fetch;

/** The final answer to a fetch (redirects followed) was not a 2xx; the caller decides what the status means. */
public class FetchStatusException extends Exception {

    private final int status;

    public FetchStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Whether the same request may succeed later: a server error (5xx), 408 Request Timeout or 429 Too Many. */
    public boolean retryable() {
        return status >= 500 || status == 408 || status == 429;
    }
}
