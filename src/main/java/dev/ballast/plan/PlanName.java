package dev.ballast.plan;

/** A plan's name: how operators refer to it in rollouts and sweeps. */
final class PlanName {

    private PlanName() {
    }

    static String parse(String text) {
        if (text == null || !text.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("'" + text + "' is not a plan name: lower-case letters, digits and '-', "
                    + "up to 63, starting and ending with a letter or digit");
        }
        return text;
    }
}
