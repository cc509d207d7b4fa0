package dev.ballast.problem;

/**
 * A state machine refused a move its table does not allow, or found the row in another state than the
 * move started from. Answered with 409 when a request asked for it; anywhere else it is a bug, and loud.
 */
public class IllegalMove extends ConflictException {

    public IllegalMove(String detail) {
        super(detail);
    }

    /** The table of moves has no arrow from {@code from} to {@code to}. */
    public static IllegalMove notAllowed(String machine, Object from, Object to) {
        return new IllegalMove("a " + machine + " cannot move from " + from + " to " + to);
    }

    /** The row was not in the state the move starts from: someone else moved it first. */
    public static IllegalMove notIn(String what, Object expected) {
        return new IllegalMove(what + " is not " + expected + " any more");
    }
}
