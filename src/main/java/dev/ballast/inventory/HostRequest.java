package dev.ballast.inventory;

import dev.ballast.remote.PinnedHostKey;
import java.util.Map;

import dev.ballast.problem.FieldErrors;
import dev.ballast.identity.IdentityName;
import dev.ballast.problem.FieldError;

/**
 * A host as a client sends it to create or replace one. Unvalidated: {@link #toSpec()} checks every field
 * and names each one that is wrong.
 */
public record HostRequest(String name, String address, Integer sshPort, String sshUser, Map<String, String> labels,
        String hostKey, Boolean trustOnFirstUse, String identity, Boolean maintenance, String notes) {

    static final int MAX_NOTES = 4096;

    HostSpec toSpec() {
        FieldErrors errors = new FieldErrors();
        HostName validName = errors.take(() -> HostName.parse("name", name));
        HostAddress validAddress = errors.take(() -> HostAddress.parse("address", address));
        SshPort port = sshPort == null ? SshPort.DEFAULT : errors.take(() -> SshPort.of("sshPort", sshPort));
        SshUser user = sshUser == null ? SshUser.DEFAULT : errors.take(() -> SshUser.parse("sshUser", sshUser));
        Labels validLabels = errors.take(() -> Labels.parse("labels", labels));
        PinnedHostKey key = hostKey == null ? null : errors.take(() -> PinnedHostKey.parse("hostKey", hostKey));
        IdentityName identityName = identity == null ? null : errors.take(() -> IdentityName.parse("identity", identity));
        if (notes != null && notes.length() > MAX_NOTES) {
            errors.add(new FieldError("notes", "is " + notes.length() + " characters long; at most " + MAX_NOTES + " are allowed"));
        }
        errors.throwIfAny();
        return new HostSpec(validName, validAddress, port, user, validLabels, key, Boolean.TRUE.equals(trustOnFirstUse), identityName,
                Boolean.TRUE.equals(maintenance), notes);
    }
}
