package dev.ballast.inventory;

import java.time.Instant;
import java.util.Map;

/** A host as the API shows it. */
public record HostView(String name, String address, int sshPort, String sshUser, Map<String, String> labels,
        String hostKey, boolean trustOnFirstUse, Quarantine quarantine, String identity, boolean maintenance, String notes,
        Instant createdAt, Instant updatedAt) {

    /** Set while the host presents a key other than the pinned one: the key it presented, and since when. */
    public record Quarantine(String presentedHostKey, Instant since) {
    }
}
