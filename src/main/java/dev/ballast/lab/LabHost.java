package dev.ballast.lab;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * One simulated hypervisor: a name, a loopback port, its own host key, its storage state and the faults
 * injected into it. Ed25519 host keys, as current OpenSSH installs generate first.
 */
public final class LabHost {

    private final String name;
    private final HostState state;
    private final Faults faults;
    private volatile KeyPair hostKey = newHostKey();
    private volatile int port;
    private final java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostSessions = new java.util.concurrent.atomic.AtomicInteger();

    LabHost(String name, HostState state, Faults faults) {
        this.name = name;
        this.state = state;
        this.faults = faults;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    void port(int port) {
        this.port = port;
    }

    public HostState state() {
        return state;
    }

    public Faults faults() {
        return faults;
    }

    void sessionOpened() {
        int now = sessions.incrementAndGet();
        mostSessions.accumulateAndGet(now, Math::max);
    }

    void sessionClosed() {
        sessions.decrementAndGet();
    }

    /**
     * The most SSH sessions this host ever had open at once: Ballast opens one per task, so more than one
     * means two tasks worked on the host at the same time.
     */
    public int mostConcurrentSessions() {
        return mostSessions.get();
    }

    /** The host key in OpenSSH form, as an inventory pins it. */
    public String hostKey() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }

    KeyPair hostKeyPair() {
        return hostKey;
    }

    /** Replaces the host key, as a reinstalled machine (or an impostor) would present. */
    public void rotateHostKey() {
        hostKey = newHostKey();
    }

    private static KeyPair newHostKey() {
        try {
            KeyPairGenerator generator = SecurityUtils.getKeyPairGenerator(SecurityUtils.EDDSA);
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is unavailable to MINA SSHD", e);
        }
    }
}
