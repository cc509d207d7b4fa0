package dev.ballast.remote;

/**
 * What one remote command did. Output beyond the configured cap is dropped and marked truncated, so a
 * runaway command can neither exhaust memory nor flood the database.
 */
public record CommandResult(String command, int exitCode, String stdout, String stderr, boolean truncated,
        long millis) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
