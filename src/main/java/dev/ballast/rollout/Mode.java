package dev.ballast.rollout;

/**
 * What a rollout does on each host: apply the plan, only probe and report drift, or restore the rollback
 * points another rollout captured there (made by {@code POST /api/hosts/{name}/rollback}, never by a plan).
 */
public enum Mode {
    APPLY, CHECK, ROLLBACK;

    static Mode parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("is required: apply (change the hosts) or check (only report drift); a tool "
                    + "that changes fleets does not guess");
        }
        if (text.equals("apply")) {
            return APPLY;
        }
        if (text.equals("check")) {
            return CHECK;
        }
        throw new IllegalArgumentException("'" + text + "' is not apply or check");
    }
}
