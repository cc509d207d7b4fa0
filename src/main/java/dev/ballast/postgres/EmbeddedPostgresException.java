package dev.ballast.postgres;

/** The local PostgreSQL could not be prepared or started; the message says what to do about it. */
public class EmbeddedPostgresException extends RuntimeException {
    public EmbeddedPostgresException(String message) {
        super(message);
    }
}
