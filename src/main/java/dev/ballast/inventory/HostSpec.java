package dev.ballast.inventory;

import dev.ballast.remote.PinnedHostKey;
import dev.ballast.identity.IdentityName;

/** A validated host, ready to be stored. {@code hostKey} and {@code identity} may be null (none pinned, the default). */
record HostSpec(HostName name, HostAddress address, SshPort port, SshUser user, Labels labels, PinnedHostKey hostKey,
        boolean trustOnFirstUse, IdentityName identity, boolean maintenance, String notes) {
}
