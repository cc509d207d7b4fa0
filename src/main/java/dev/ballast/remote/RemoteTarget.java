package dev.ballast.remote;

import java.security.KeyPair;


/**
 * Everything needed to open one connection: where, as whom, with which key, and which host key to
 * accept. {@code pinned} null with {@code trustOnFirstUse} false means no key can be accepted.
 */
public record RemoteTarget(String host, String address, int port, String user, PinnedHostKey pinned,
        boolean trustOnFirstUse, KeyPair identity) {

    @Override
    public String toString() {
        return host + " (" + user + "@" + address + ":" + port + ")"; // never the key pair
    }
}
