package dev.ballast.inventory;

import dev.ballast.remote.PinnedHostKey;
import dev.ballast.identity.IdentityName;
import dev.ballast.problem.FieldError;

/**
 * A host read from an inventory file, validated, with the line it was defined on. Every field but the
 * name and address is null where the file does not give it: an import then keeps the stored value, and
 * a new host gets the default.
 */
record ImportedHost(int line, HostName name, HostAddress address, SshPort port, SshUser user, Labels labels,
        PinnedHostKey hostKey, Boolean trustOnFirstUse, IdentityName identity, Given identityGiven, Boolean maintenance, String notes) {

    /**
     * Where the file gives a value: {@code hosts[3].identity}, or {@code defaults.identity} for a default every
     * host shares, with its line; an error about the value (an identity nobody created) is named there.
     */
    record Given(String field, int line) {
        FieldError error(String message) {
            return new FieldError(field, message, line);
        }
    }

    /** The host as it is after this import, given what is stored now (null for a new host). */
    HostSpec over(HostSpec stored) {
        return new HostSpec(name, address,
                port != null ? port : stored == null ? SshPort.DEFAULT : stored.port(),
                user != null ? user : stored == null ? SshUser.DEFAULT : stored.user(),
                labels != null ? labels : stored == null ? Labels.NONE : stored.labels(),
                hostKey != null ? hostKey : stored == null ? null : stored.hostKey(),
                trustOnFirstUse != null ? trustOnFirstUse : stored != null && stored.trustOnFirstUse(),
                identity != null ? identity : stored == null ? null : stored.identity(),
                maintenance != null ? maintenance : stored != null && stored.maintenance(),
                notes != null ? notes : stored == null ? null : stored.notes());
    }
}
