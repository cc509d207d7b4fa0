package dev.ballast.problem;

/** A request body over the configured limit; answered with 413. */
public class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(String detail) {
        super(detail);
    }
}
