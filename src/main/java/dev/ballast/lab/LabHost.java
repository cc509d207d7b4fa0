package dev.ballast.lab;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * One simulated hypervisor: a name, a loopback port, its own host key, its storage state and the faults
 * injected into it. ECDSA P-256 host keys: the JDK makes them natively and fast, for 1,000 hosts.
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
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is unavailable in this JVM", e);
        }
    }
}
