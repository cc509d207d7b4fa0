package dev.ballast.problem;

import java.time.Duration;

/**
 * A request refused for now, to be tried again after {@code retryAfter}: 429 when the caller has failed
 * too often (a login locked out), 503 when the server has too much of that work in hand.
 */
public class RetryLaterException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    public RetryLaterException(int status, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** Whole seconds, at least one: what a Retry-After header says. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
