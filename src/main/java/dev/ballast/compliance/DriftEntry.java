package dev.ballast.compliance;

/** A fact a run found out of line on a host, and the first run of the series that has found it so. */
public record DriftEntry(String host, int position, String step, String fact, String desired, String actual, long sinceRun) {
}
