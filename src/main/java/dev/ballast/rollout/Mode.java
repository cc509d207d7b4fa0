package dev.ballast.rollout;

/** What a rollout does on each host: apply the plan, or only probe and report drift. */
public enum Mode {
    APPLY, CHECK;

    static Mode parse(String text) {
        if (text == null || text.equals("apply")) {
            return APPLY;
        }
        if (text.equals("check")) {
            return CHECK;
        }
        throw new IllegalArgumentException("'" + text + "' is not apply or check");
    }
}
