package dev.ballast.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ballast.remote.RemoteFailure.Kind;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One logged-in connection to one host, used for every command of one task and then closed.
 * Each command gets its own channel and a watchdog: a command that overruns cuts the connection, so a
 * hung host costs one timeout, not a stuck worker. Not for use by two threads at once.
 */
public final class SshSession implements RemoteShell, AutoCloseable {

    private final RemoteTarget target;
    private final SSHClient client;
    private final PinnedHostKey presentedHostKey;
    private final boolean trustedOnFirstUse;
    private final SshSettings settings;
    private final ScheduledExecutorService watchdog;

    SshSession(RemoteTarget target, SSHClient client, PinnedHostKey presentedHostKey, boolean trustedOnFirstUse,
            SshSettings settings, ScheduledExecutorService watchdog) {
        this.target = target;
        this.client = client;
        this.presentedHostKey = presentedHostKey;
        this.trustedOnFirstUse = trustedOnFirstUse;
        this.settings = settings;
        this.watchdog = watchdog;
    }

    /** The key the host presented, which the caller pins when {@link #trustedOnFirstUse()}. */
    public PinnedHostKey presentedHostKey() {
        return presentedHostKey;
    }

    public boolean trustedOnFirstUse() {
        return trustedOnFirstUse;
    }

    @Override
    public CommandResult run(Command command) throws RemoteFailure {
        String line = command.render();
        long started = System.nanoTime();
        Duration allowed = command.timeout() != null && command.timeout().compareTo(settings.commandTimeout()) > 0
                ? command.timeout() : settings.commandTimeout();
        AtomicBoolean overran = new AtomicBoolean();
        ScheduledFuture<?> timer = watchdog.schedule(() -> {
            overran.set(true);
            SshConnector.closeQuietly(client);
        }, allowed.toMillis(), TimeUnit.MILLISECONDS);
        try (Session session = client.startSession()) {
            Session.Command running = session.exec(line);
            sendInput(running, command.stdin());
            Capped stdout = Capped.read(running.getInputStream(), settings.outputCap());
            Capped stderr = Capped.read(running.getErrorStream(), settings.outputCap());
            running.join(allowed.toMillis(), TimeUnit.MILLISECONDS);
            Integer exit = running.getExitStatus();
            if (exit == null) {
                throw new RemoteFailure(overran.get() ? Kind.TIMEOUT : Kind.CONNECTION_LOST,
                        "'" + line + "' ended without an exit status on " + target, null);
            }
            return new CommandResult(line, exit, stdout.text(), stderr.text(), stdout.truncated() || stderr.truncated(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (IOException | RuntimeException e) {
            if (overran.get() || SshConnector.isTimeout(e)) {
                throw new RemoteFailure(Kind.TIMEOUT, "'" + line + "' ran longer than "
                        + allowed.toSeconds() + " s on " + target, e);
            }
            throw new RemoteFailure(Kind.CONNECTION_LOST, "the connection broke during '" + line + "' on " + target
                    + ": " + e.getMessage(), e);
        } finally {
            timer.cancel(false);
        }
    }

    /**
     * OpenSSH runs a command as soon as it is asked to, so a short one can finish and close the channel
     * before its input is sent; sshj then refuses even an empty write ("Stream closed"). Sending nothing
     * when there is no input, and going on to read what the command printed and its exit status when the
     * channel closed under a write, tells a command that ignored its input from a broken connection
     * (which has no exit status). Found against real sshd; the in-process lab waits for the input's end.
     */
    private static void sendInput(Session.Command running, byte[] input) throws IOException {
        try (OutputStream stdin = running.getOutputStream()) {
            if (input.length > 0) {
                stdin.write(input);
            }
        } catch (SSHException e) {
            if (running.isOpen()) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        SshConnector.closeQuietly(client);
    }

    /** A stream read to its end, keeping at most {@code cap} bytes. */
    private record Capped(String text, boolean truncated) {

        static Capped read(InputStream in, int cap) throws IOException {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean truncated = false;
            for (int n; (n = in.read(buffer)) > 0;) {
                int room = cap - kept.size();
                if (n > room) {
                    truncated = true;
                }
                kept.write(buffer, 0, Math.min(n, Math.max(room, 0)));
            }
            return new Capped(kept.toString(StandardCharsets.UTF_8), truncated);
        }
    }
}
