package dev.ballast.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ballast.remote.RemoteFailure.Kind;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers;

import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;

/**
 * Opens SSH connections to hosts with one shared client configuration (building sshj's
 * {@link DefaultConfig} probes every cipher, so it is built once), strict host-key checking and
 * timeouts on every wait. Knows nothing of the database: pinning and quarantine are the caller's.
 */
@ApplicationScoped
public class SshConnector {

    static final int LOCAL_MAX_PACKET = 8 * 1024;

    private final SshSettings settings;
    private final DefaultConfig config = new DefaultConfig();
    private final NoDelaySocketFactory sockets = new NoDelaySocketFactory();
    /** Identities as sshj signs with them, converted once: see {@link #keyProvider}. */
    private final java.util.Map<java.security.KeyPair, KeyPairWrapper> keyProviders = new java.util.concurrent.ConcurrentHashMap<>();
    /** Cuts connections whose command overran; one thread, it only fires timers. */
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ballast-ssh-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    SshConnector(SshSettings settings) {
        this.settings = settings;
        // AES-GCM first, from the JDK (see JdkAesGcm): sshj's first choice, ChaCha20-Poly1305, is pure Java.
        config.setLoggerFactory(new CachedLoggers());
        config.setCipherFactories(JdkAesGcm.aes128(), JdkAesGcm.aes256(), BlockCiphers.AES128CTR(),
                BlockCiphers.AES256CTR(), ChachaPolyCiphers.CHACHA_POLY_OPENSSH());
    }

    /** Connects, verifies the host key and logs in; the caller closes the session. */
    public SshSession open(RemoteTarget target) throws RemoteFailure {
        SSHClient client = new SSHClient(config);
        int connectMillis = (int) settings.connectTimeout().toMillis();
        client.setSocketFactory(sockets);
        client.setConnectTimeout(connectMillis);
        client.getTransport().setTimeoutMs(connectMillis);
        client.getConnection().setTimeoutMs(connectMillis);
        // sshj gives every channel's stdout and stderr a buffer of this size up front; its 32 KiB default
        // made those buffers most of the memory a command costs. Larger outputs still arrive, in more packets.
        client.getConnection().setMaxPacketSize(LOCAL_MAX_PACKET);
        HostKeyCheck hostKey = new HostKeyCheck(target.pinned(), target.trustOnFirstUse());
        client.addHostKeyVerifier(hostKey);
        // sshj reads the server's greeting without any timeout: a host that accepts the TCP connection
        // and then says nothing would hold this thread forever, so a timer cuts it.
        AtomicBoolean overran = new AtomicBoolean();
        ScheduledFuture<?> timer = watchdog.schedule(() -> {
            overran.set(true);
            closeQuietly(client);
        }, connectMillis, TimeUnit.MILLISECONDS);
        try {
            client.connect(target.address(), target.port());
            client.authPublickey(target.user(), keyProviders.computeIfAbsent(target.identity(), SshConnector::keyProvider));
            if (!timer.cancel(false)) {
                throw new SocketTimeoutException("the connect timer fired");
            }
            return new SshSession(target, client, hostKey.presented(),
                    hostKey.outcome() == HostKeyCheck.Outcome.TRUSTED_ON_FIRST_USE, settings, watchdog);
        } catch (IOException | RuntimeException e) {
            timer.cancel(false);
            closeQuietly(client);
            throw classify(target, hostKey, overran.get() ? new SocketTimeoutException("connecting overran") : e);
        }
    }

    private static RemoteFailure classify(RemoteTarget target, HostKeyCheck hostKey, Exception e) {
        String on = " (" + target + ")";
        if (hostKey.outcome() == HostKeyCheck.Outcome.UNKNOWN) {
            return RemoteFailure.hostKey(Kind.HOST_KEY_UNKNOWN, "no host key is pinned for " + target.host()
                    + " and it is not marked trust-on-first-use; it presented " + hostKey.presented() + on,
                    hostKey.presented(), e);
        }
        if (hostKey.outcome() == HostKeyCheck.Outcome.MISMATCH) {
            return RemoteFailure.hostKey(Kind.HOST_KEY_MISMATCH, target.host() + " presented host key "
                    + hostKey.presented() + ", not the pinned one" + on, hostKey.presented(), e);
        }
        if (e instanceof UserAuthException) {
            return new RemoteFailure(Kind.AUTH_FAILED, "login as " + target.user() + " was refused" + on, e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof UnknownHostException) {
            return new RemoteFailure(Kind.UNREACHABLE, "cannot connect: " + e.getMessage() + on, e);
        }
        if (isTimeout(e)) {
            return new RemoteFailure(Kind.TIMEOUT, "connecting took longer than allowed" + on, e);
        }
        if (e instanceof TransportException transport && transport.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
            return new RemoteFailure(Kind.HOST_KEY_UNKNOWN, "the host key could not be verified" + on, e);
        }
        return new RemoteFailure(Kind.CONNECTION_LOST, "the connection broke while connecting: " + e + on, e);
    }

    /**
     * sshj signs through its security provider (BouncyCastle); handed a JDK key, the provider converts it
     * and derives its public half again on every login. A key in the provider's own form is converted once.
     */
    private static KeyPairWrapper keyProvider(java.security.KeyPair pair) {
        try {
            java.security.KeyFactory factory = net.schmizz.sshj.common.SecurityUtils.getKeyFactory(pair.getPrivate().getAlgorithm());
            return new KeyPairWrapper(new java.security.KeyPair(
                    factory.generatePublic(new java.security.spec.X509EncodedKeySpec(pair.getPublic().getEncoded())),
                    factory.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pair.getPrivate().getEncoded()))));
        } catch (java.security.GeneralSecurityException e) {
            return new KeyPairWrapper(pair);
        }
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                    || cause.getClass().getSimpleName().equals("TimeoutException")) {
                return true;
            }
        }
        return false;
    }

    static void closeQuietly(SSHClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a broken connection has nothing left to report
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        watchdog.shutdownNow();
    }
}
