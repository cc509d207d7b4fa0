package dev.ballast.problem;

/** The named thing does not exist; answered with 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String what) {
        super(what);
    }
}
