package dev.ballast.catalog;

/** One fact that differs from what the step wants, with both values, as check mode reports it. */
public record Drift(String fact, String desired, String actual) {
}
