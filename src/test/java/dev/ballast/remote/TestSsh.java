package dev.ballast.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.ballast.lab.LabFleet;
import dev.ballast.lab.LabHost;

/**
 * Real SSH for tests without the Quarkus application, as a JUnit extension on a static field
 * ({@code @RegisterExtension static final TestSsh ssh = new TestSsh(4);}): before the class, a lab fleet
 * that authorizes exactly a fresh Ed25519 client key, and Ballast's connector with short timeouts; after
 * each test, every fault is cleared and no command may have reached the lab that it does not simulate (a
 * test that provokes one on purpose clears it); after the class, both stop.
 */
public final class TestSsh implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final int hosts;
    private final Duration commandTimeout;
    private final KeyPair identity = ed25519();
    private LabFleet fleet;
    private SshConnector connector;

    public TestSsh(int hosts, Duration commandTimeout) {
        this.hosts = hosts;
        this.commandTimeout = commandTimeout;
    }

    public TestSsh(int hosts) {
        this(hosts, Duration.ofSeconds(10));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
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

    @Override
    public void afterEach(ExtensionContext context) {
        fleet.hosts().forEach(host -> host.faults().clear());
        assertThat(fleet.surprises()).as("commands the lab does not simulate").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (connector != null) {
            connector.onStop(null);
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    public LabFleet fleet() {
        return fleet;
    }

    public SshConnector connector() {
        return connector;
    }

    /** The client key the fleet authorizes. */
    public KeyPair identity() {
        return identity;
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
}
