package dev.ballast.problem;

/** The request clashes with what is stored (a duplicate name, a busy host); answered with 409. */
public class ConflictException extends RuntimeException {
    public ConflictException(String detail) {
        super(detail);
    }
}
