package dev.ballast.inventory;

import java.time.Instant;
import java.util.Map;

/** A host as the API shows it. */
public record HostView(String name, String address, int sshPort, String sshUser, Map<String, String> labels,
        String hostKey, String identity, boolean maintenance, String notes, Instant createdAt, Instant updatedAt) {
}
