package dev.ballast.plan;

/** Durations as plans write them: a number and a unit, {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}. */
final class Durations {

    private Durations() {
    }

    static long seconds(String text, long min, long max) {
        if (text == null || !text.matches("[0-9]{1,7}[smhd]")) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 15m, 2h or 1d");
        }
        long number = Long.parseLong(text.substring(0, text.length() - 1));
        long seconds = switch (text.charAt(text.length() - 1)) {
            case 's' -> number;
            case 'm' -> number * 60;
            case 'h' -> number * 3600;
            default -> number * 86400;
        };
        if (seconds < min || seconds > max) {
            throw new IllegalArgumentException("'" + text + "' must be between " + min + " and " + max + " seconds");
        }
        return seconds;
    }
}
