package dev.ballast.catalog;

/**
 * A step declines to act, for a reason that is not a failure of the host: the step does not apply
 * there, a safety guard tripped, or what it changed cannot be undone. Carries the reason for operators.
 */
public class StepRefusal extends Exception {

    public enum Kind {
        /** The host lacks what the step works on (no SELinux, no such device). */
        NOT_APPLICABLE,
        /** Acting would risk data or a system Ballast does not own (signatures on a disk, nova-managed XML). */
        UNSAFE,
        /** The change cannot be rolled back any more (a thin pool that now holds volumes). */
        IRREVERSIBLE
    }

    private final Kind kind;

    public StepRefusal(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
