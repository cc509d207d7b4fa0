package dev.ballast.remote;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;

import dev.ballast.lab.LabFleet;
import dev.ballast.lab.LabHost;

/**
 * Real SSH for tests without the Quarkus application: Ballast's connector with short timeouts, a fresh
 * Ed25519 client key, and a lab fleet that authorizes exactly that key.
 */
public final class TestSsh implements AutoCloseable {

    public final KeyPair identity = ed25519();
    public final LabFleet fleet;
    public final SshConnector connector;

    public TestSsh(int hosts, Duration commandTimeout) {
        fleet = LabFleet.start(hosts, openSsh(identity));
        connector = new SshConnector(new SshSettings() {
            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration commandTimeout() {
                return commandTimeout;
            }

            @Override
            public int outputCap() {
                return 4096;
            }
        });
    }

    public TestSsh(int hosts) {
        this(hosts, Duration.ofSeconds(10));
    }

    public RemoteTarget target(LabHost host) {
        return new RemoteTarget(host.name(), "127.0.0.1", host.port(), "root", PinnedHostKey.parse("hostKey", host.hostKey()),
                false, identity);
    }

    public SshSession open(LabHost host) throws RemoteFailure {
        return connector.open(target(host));
    }

    public SshSession open(String host) throws RemoteFailure {
        return open(fleet.host(host));
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String openSsh(KeyPair pair) {
        return HostKeyCheck.openSshForm(pair.getPublic()).toString();
    }

    @Override
    public void close() {
        connector.onStop(null);
        fleet.close();
    }
}
