package dev.ballast.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.jboss.logging.Logger;

/**
 * The simulated fleet: N hypervisors served by one MINA SSH server in this process, each on its own
 * loopback port with its own host key and storage state. One server and one thread pool for all hosts,
 * so 1,000 hosts cost sockets, not threads. Logins are accepted for one authorized public key only.
 */
public final class LabFleet implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LabFleet.class);

    private final LabServer server = (LabServer) ServerBuilder.builder().factory(LabServer::new).build();
    private final Map<Integer, LabHost> byPort = new ConcurrentHashMap<>();
    private final Map<String, LabHost> byName = new ConcurrentHashMap<>();
    private final List<LabHost> hosts = new ArrayList<>();
    private final List<String> surprises = new CopyOnWriteArrayList<>();
    private final ExecutorService commands = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "lab-command");
        thread.setDaemon(true);
        return thread;
    });
    private final String authorizedKey;
    private final AtomicInteger connections = new AtomicInteger();

    private LabFleet(String authorizedKey) {
        this.authorizedKey = blob(authorizedKey);
    }

    /**
     * Starts {@code count} hosts named {@code lab-001}... that accept logins as root with the given
     * public key (OpenSSH form).
     */
    public static LabFleet start(int count, String authorizedKey) {
        LabFleet fleet = new LabFleet(authorizedKey);
        try {
            fleet.configure();
            for (int i = 1; i <= count; i++) {
                fleet.add(LabHosts.typical(i, count));
            }
            return fleet;
        } catch (IOException e) {
            fleet.close();
            throw new UncheckedIOException("cannot start the lab fleet", e);
        }
    }

    private void configure() throws IOException {
        server.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        server.setPort(0);
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        server.setKeyPairProvider(new org.apache.sshd.common.keyprovider.KeyPairProvider() {
            @Override
            public Iterable<KeyPair> loadKeys(SessionContext session) {
                LabHost host = session == null ? null : hostOf((Session) session);
                return host == null ? List.of() : List.of(host.hostKeyPair());
            }
        });
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((user, key, session) -> accepts(hostOf(session), user, key));
        server.setCommandFactory((channel, line) -> new LabCommand(hostOf(channel.getSession()), line, this, commands));
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                connections.incrementAndGet();
                LabHost host = hostOf(session);
                if (host != null) {
                    host.sessionOpened();
                }
                long delay = host == null ? 0 : host.faults().connectDelay.toMillis();
                if (delay > 0) {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionClosed(Session session) {
                LabHost host = hostOf(session);
                if (host != null) {
                    host.sessionClosed();
                }
            }
        });
        server.start();
    }

    private void add(LabHost host) throws IOException {
        int port = server.bindLoopback(hosts.isEmpty() ? server.getPort() : 0);
        host.port(port);
        hosts.add(host);
        byPort.put(port, host);
        byName.put(host.name(), host);
    }

    private LabHost hostOf(Session session) {
        SocketAddress local = session.getIoSession().getLocalAddress();
        return local instanceof InetSocketAddress inet ? byPort.get(inet.getPort()) : null;
    }

    private boolean accepts(LabHost host, String user, PublicKey key) {
        return host != null && !host.faults().refuseLogin && user.equals("root")
                && blob(PublicKeyEntry.toString(key)).equals(authorizedKey);
    }

    /** The key type and data of an OpenSSH public key, without its comment. */
    private static String blob(String openSsh) {
        String[] parts = openSsh.strip().split("\\s+");
        return parts[0] + " " + parts[1];
    }

    public List<LabHost> hosts() {
        return List.copyOf(hosts);
    }

    public LabHost host(String name) {
        LabHost host = byName.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no lab host " + name);
        }
        return host;
    }

    /** A Ballast inventory for the lab: ten hosts per rack, two zones, each host's key pinned. */
    public String inventoryYaml() {
        StringBuilder yaml = new StringBuilder("defaults:\n  sshUser: root\n  labels: {role: hypervisor, env: lab}\nhosts:\n");
        int index = 0;
        for (LabHost host : hosts) {
            yaml.append("  - name: ").append(host.name()).append('\n')
                    .append("    address: 127.0.0.1\n")
                    .append("    sshPort: ").append(host.port()).append('\n')
                    .append("    hostKey: ").append(host.hostKey()).append('\n')
                    .append("    labels: {rack: r").append(index / 10 + 1).append(", zone: ")
                    .append(index % 2 == 0 ? "a" : "b").append("}\n");
            index++;
        }
        return yaml.toString();
    }

    /** Makes a host unreachable (its port closed) or reachable again on the same port. */
    public void reachable(LabHost host, boolean reachable) {
        try {
            if (reachable) {
                server.bindLoopback(host.port());
            } else {
                server.unbindLoopback(host.port());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commands the lab was sent but does not simulate; a test that sees any has found drift. */
    public List<String> surprises() {
        return List.copyOf(surprises);
    }

    /** SSH connections the fleet has accepted since it started, over all hosts. */
    public int connections() {
        return connections.get();
    }

    /** Forgets recorded surprises, for a test that provoked one on purpose. */
    public void clearSurprises() {
        surprises.clear();
    }

    void surprised(LabHost host, String line, String why) {
        LOG.errorf("Lab host %s was sent a command it does not simulate: %s (%s)", host.name(), line, why);
        surprises.add(host.name() + ": " + line + " (" + why + ")");
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warnf("Stopping the lab fleet: %s", e.getMessage());
        }
        commands.shutdownNow();
    }

    /** An SSH server that listens on many loopback ports, one per lab host. */
    static final class LabServer extends SshServer {

        synchronized int bindLoopback(int port) throws IOException {
            if (port != 0 && acceptor.getBoundAddresses().stream().anyMatch(a -> portOf(a) == port)) {
                return port;
            }
            Set<SocketAddress> before = new HashSet<>(acceptor.getBoundAddresses());
            acceptor.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return acceptor.getBoundAddresses().stream().filter(a -> !before.contains(a)).mapToInt(LabServer::portOf)
                    .findFirst().orElseThrow(() -> new IOException("the lab server did not report its new port"));
        }

        synchronized void unbindLoopback(int port) {
            acceptor.getBoundAddresses().stream().filter(a -> portOf(a) == port).toList().forEach(acceptor::unbind);
        }

        private static int portOf(SocketAddress address) {
            return ((InetSocketAddress) address).getPort();
        }
    }
}
