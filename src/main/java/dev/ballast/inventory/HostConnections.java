package dev.ballast.inventory;

import org.jboss.logging.Logger;

import dev.ballast.identity.Identities;
import dev.ballast.inventory.Inventory.HostTarget;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteFailure.Kind;
import dev.ballast.remote.RemoteTarget;
import dev.ballast.remote.SshConnector;
import dev.ballast.remote.SshSession;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opens a session to an inventory host and keeps the inventory's host-key trust in step with what
 * happened: a trust-on-first-use key is pinned, a mismatching key quarantines the host, and a
 * quarantined host is refused before any connection is tried.
 */
@ApplicationScoped
public class HostConnections {

    private static final Logger LOG = Logger.getLogger(HostConnections.class);

    private final Inventory inventory;
    private final HostKeyTrust trust;
    private final Identities identities;
    private final SshConnector connector;

    HostConnections(Inventory inventory, HostKeyTrust trust, Identities identities, SshConnector connector) {
        this.inventory = inventory;
        this.trust = trust;
        this.identities = identities;
        this.connector = connector;
    }

    public SshSession open(HostName name) throws RemoteFailure {
        return open(inventory.target(name));
    }

    /** Opens a session to a host whose inventory entry the caller has just read. */
    public SshSession open(HostTarget host) throws RemoteFailure {
        HostName name = host.name();
        if (host.quarantine() != null) {
            throw new RemoteFailure(Kind.HOST_KEY_MISMATCH, name + " is quarantined since " + host.quarantine().since()
                    + ": it presented " + host.quarantine().presentedHostKey() + "; an admin must accept that key "
                    + "(POST /api/hosts/" + name + "/host-key/accept) or pin another", null);
        }
        RemoteTarget target = new RemoteTarget(name.value(), host.address(), host.port(), host.user(), host.pinned(),
                host.trustOnFirstUse(), identities.keyPair(host.identity()));
        SshSession session;
        try {
            session = connector.open(target);
        } catch (RemoteFailure failure) {
            if (failure.kind() == Kind.HOST_KEY_MISMATCH) {
                LOG.errorf("Host %s presented host key %s instead of the pinned one; quarantined until an admin decides",
                        name, failure.presentedHostKey());
                trust.quarantine(name, failure.presentedHostKey());
            }
            throw failure;
        }
        if (session.trustedOnFirstUse()) {
            LOG.infof("Host %s: pinned host key %s on first use", name, session.presentedHostKey());
            trust.pinFirstUseKey(name, session.presentedHostKey());
        }
        return session;
    }
}
