package dev.ballast.inventory;

import dev.ballast.remote.PinnedHostKey;
import dev.ballast.identity.IdentityName;

/**
 * A host read from an inventory file, validated, with the line it was defined on. Host key, identity,
 * maintenance and notes are null where the file does not say: an import then keeps the stored value.
 */
record ImportedHost(int line, HostName name, HostAddress address, SshPort port, SshUser user, Labels labels,
        PinnedHostKey hostKey, Boolean trustOnFirstUse, IdentityName identity, Boolean maintenance, String notes) {

    /** The host as it is after this import, given what is stored now (null for a new host). */
    HostSpec over(HostSpec stored) {
        return new HostSpec(name, address, port, user, labels,
                hostKey != null ? hostKey : stored == null ? null : stored.hostKey(),
                trustOnFirstUse != null ? trustOnFirstUse : stored != null && stored.trustOnFirstUse(),
                identity != null ? identity : stored == null ? null : stored.identity(),
                maintenance != null ? maintenance : stored != null && stored.maintenance(),
                notes != null ? notes : stored == null ? null : stored.notes());
    }
}
