package dev.ballast.catalog;

import java.util.Map;

/**
 * The outcome of one preflight check: what was observed against what is required, and for measuring
 * checks (fio) the figures, so a later health gate can compare against them.
 */
public record CheckResult(Status status, String observed, String expected, String message, Map<String, String> figures) {

    public enum Status { PASSED, FAILED, NOT_APPLICABLE }

    public static CheckResult passed(String observed, String expected) {
        return new CheckResult(Status.PASSED, observed, expected, "ok", Map.of());
    }

    public static CheckResult failed(String observed, String expected, String message) {
        return new CheckResult(Status.FAILED, observed, expected, message, Map.of());
    }

    public static CheckResult notApplicable(String message) {
        return new CheckResult(Status.NOT_APPLICABLE, null, null, message, Map.of());
    }

    public CheckResult withFigures(Map<String, String> values) {
        return new CheckResult(status, observed, expected, message, Map.copyOf(values));
    }
}
