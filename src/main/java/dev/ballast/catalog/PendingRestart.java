package dev.ballast.catalog;

/**
 * A domain whose persistent XML already says what a step wants while its running QEMU process still
 * uses the old configuration: applied, not yet in effect, until the domain's next cold start.
 */
public record PendingRestart(String uuid, String name) {

    public static final String COLD_START_NOTE =
            "takes effect at the domain's next cold start (shutdown + start; a guest reboot is not enough)";

    public String label() {
        return name + " (" + uuid + ")";
    }
}
