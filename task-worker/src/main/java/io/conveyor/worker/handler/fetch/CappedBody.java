package io.conveyor.worker.handler.fetch;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Collects a response body as it streams in, failing (and cancelling the download) once it passes a cap. */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final long max;
    private final String refusal;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    CappedBody(long max) {
        this(max, null);
    }

    private CappedBody(long max, String refusal) {
        this.max = max;
        this.refusal = refusal;
    }

    /**
     * The subscriber for an answer: a 2xx body is collected up to {@code max} bytes (refused at once if its declared
     * length is over), any other status's body is discarded.
     */
    static HttpResponse.BodySubscriber<byte[]> forResponse(HttpResponse.ResponseInfo info, long max) {
        if (info.statusCode() < 200 || info.statusCode() >= 300) {
            return discarding();
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return declared > max
                ? refusing("The source declares " + declared + " bytes, over the limit of " + max)
                : new CappedBody(max);
    }

    /** Reads nothing and fails: the body was announced too large. */
    static CappedBody refusing(String reason) {
        return new CappedBody(0, reason);
    }

    /** Reads nothing: only the status of this answer matters. */
    static CappedBody discarding() {
        return new CappedBody(0, "");
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (refusal != null) {
            subscription.cancel();
            if (refusal.isEmpty()) {
                body.complete(new byte[0]);
            } else {
                body.completeExceptionally(new FetchRefusedException(refusal));
            }
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            if (buffer.size() + (long) item.remaining() > max) {
                subscription.cancel();
                body.completeExceptionally(new FetchRefusedException("The source is larger than " + max + " bytes"));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            buffer.write(chunk, 0, chunk.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(buffer.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
