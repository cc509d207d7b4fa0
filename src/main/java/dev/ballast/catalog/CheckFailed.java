package dev.ballast.catalog;

/**
 * A check's verdict reached before its last line, for a parser deep in a check to end it with what
 * it saw. Never leaves the check: {@link #result()} becomes its FAILED result.
 */
final class CheckFailed extends Exception {

    private final String observed;
    private final String expected;

    CheckFailed(String observed, String expected, String message) {
        super(message, null, false, false);
        this.observed = observed;
        this.expected = expected;
    }

    CheckResult result() {
        return CheckResult.failed(observed, expected, getMessage());
    }
}
