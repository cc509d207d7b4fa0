package dev.ballast.remote;

import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Strict host-key verification for one connection: accepts exactly the pinned key, or, for a host marked
 * trust-on-first-use that has no key pinned yet, the first key it presents. It remembers what it saw so
 * the failure can be told apart (unknown versus mismatch) and a first-use key can be pinned.
 * Never accepts a key on any other ground.
 */
final class HostKeyCheck implements HostKeyVerifier {

    enum Outcome { NOT_CHECKED, MATCHED, TRUSTED_ON_FIRST_USE, UNKNOWN, MISMATCH }

    private final PinnedHostKey pinned;
    private final boolean trustOnFirstUse;
    private volatile Outcome outcome = Outcome.NOT_CHECKED;
    private volatile PinnedHostKey presented;

    HostKeyCheck(PinnedHostKey pinned, boolean trustOnFirstUse) {
        this.pinned = pinned;
        this.trustOnFirstUse = trustOnFirstUse;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        presented = openSshForm(key);
        if (pinned == null) {
            outcome = trustOnFirstUse ? Outcome.TRUSTED_ON_FIRST_USE : Outcome.UNKNOWN;
        } else {
            outcome = pinned.equals(presented) ? Outcome.MATCHED : Outcome.MISMATCH;
        }
        return outcome == Outcome.MATCHED || outcome == Outcome.TRUSTED_ON_FIRST_USE;
    }

    /** Asks the server for the pinned key's type, so a host with several keys presents the pinned one. */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return pinned == null || pinned.algorithm().equals("ssh-rsa") ? List.of() : List.of(pinned.algorithm());
    }

    Outcome outcome() {
        return outcome;
    }

    PinnedHostKey presented() {
        return presented;
    }

    static PinnedHostKey openSshForm(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        return new PinnedHostKey(KeyType.fromKey(key).toString(), Base64.getEncoder().encodeToString(blob));
    }
}
