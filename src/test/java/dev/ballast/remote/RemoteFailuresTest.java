package dev.ballast.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.LabHost;
import dev.ballast.remote.RemoteFailure.Kind;

/** Every fault the lab can inject ends in its own failure kind, with the output kept where there was one. */
class RemoteFailuresTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(12, Duration.ofSeconds(2));

    private static Kind failureOf(ThrowingRun run) {
        try {
            run.run();
        } catch (RemoteFailure failure) {
            return failure.kind();
        } catch (Exception e) {
            throw new AssertionError("expected a RemoteFailure, got " + e, e);
        }
        throw new AssertionError("expected a RemoteFailure, the call succeeded");
    }

    interface ThrowingRun {
        void run() throws Exception;
    }

    @Test
    void aClosedPortIsUnreachable() {
        LabHost host = ssh.fleet().host("lab-001");
        ssh.fleet().reachable(host, false);
        try {
            assertThat(failureOf(() -> ssh.open(host).close())).isEqualTo(Kind.UNREACHABLE);
        } finally {
            ssh.fleet().reachable(host, true);
        }
        assertThat(failureOf(() -> {
            try (SshSession session = ssh.open(host)) {
                session.check(Command.of("cat", "--", "/etc/udev/rules.d/absent.rules"));
            }
        })).as("reachable again on the same port").isEqualTo(Kind.COMMAND_FAILED);
    }

    @Test
    void aSlowConnectBeyondTheTimeoutIsATimeout() {
        LabHost host = ssh.fleet().host("lab-002");
        host.faults().connectDelay = Duration.ofSeconds(7);
        assertThat(failureOf(() -> ssh.open(host).close())).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void aSlowConnectWithinTheTimeoutConnects() throws Exception {
        LabHost host = ssh.fleet().host("lab-003");
        host.faults().connectDelay = Duration.ofMillis(500);
        host.faults().commandLatency = Duration.ofMillis(300);
        try (SshSession session = ssh.open(host)) {
            CommandResult result = session.check(Command.of("uname", "-r"));
            assertThat(result.millis()).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void aHungCommandIsATimeout() {
        LabHost host = ssh.fleet().host("lab-004");
        host.faults().hangOn = "cat";
        long started = System.nanoTime();
        assertThat(failureOf(() -> {
            try (SshSession session = ssh.open(host)) {
                session.run(Command.of("cat", "--", "/proc/meminfo"));
            }
        })).isEqualTo(Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aConnectionDroppedMidCommandIsConnectionLost() {
        LabHost host = ssh.fleet().host("lab-005");
        host.faults().dropOn = "cat";
        assertThat(failureOf(() -> {
            try (SshSession session = ssh.open(host)) {
                session.run(Command.of("cat", "--", "/proc/meminfo"));
            }
        })).isEqualTo(Kind.CONNECTION_LOST);
    }

    @Test
    void aRefusedLoginIsAuthFailed() {
        LabHost host = ssh.fleet().host("lab-006");
        host.faults().refuseLogin = true;
        assertThat(failureOf(() -> ssh.open(host).close())).isEqualTo(Kind.AUTH_FAILED);
    }

    @Test
    void aChangedHostKeyIsAMismatchAndNeverConnects() {
        LabHost host = ssh.fleet().host("lab-007");
        RemoteTarget pinnedBefore = ssh.target(host);
        host.rotateHostKey();
        assertThatThrownBy(() -> ssh.connector().open(pinnedBefore).close()).isInstanceOf(RemoteFailure.class)
                .satisfies(e -> {
                    RemoteFailure failure = (RemoteFailure) e;
                    assertThat(failure.kind()).isEqualTo(Kind.HOST_KEY_MISMATCH);
                    assertThat(failure.getMessage()).contains(host.hostKey().split(" ")[1]);
                });
    }

    @Test
    void anUnpinnedHostIsRefusedUnlessMarkedTrustOnFirstUse() throws Exception {
        LabHost host = ssh.fleet().host("lab-008");
        RemoteTarget pinned = ssh.target(host);
        RemoteTarget unpinned = new RemoteTarget(host.name(), "127.0.0.1", host.port(), "root", null, false, ssh.identity());
        assertThat(failureOf(() -> ssh.connector().open(unpinned).close())).isEqualTo(Kind.HOST_KEY_UNKNOWN);

        RemoteTarget firstUse = new RemoteTarget(host.name(), "127.0.0.1", host.port(), "root", null, true, ssh.identity());
        try (SshSession session = ssh.connector().open(firstUse)) {
            assertThat(session.trustedOnFirstUse()).isTrue();
            assertThat(session.presentedHostKey()).isEqualTo(pinned.pinned());
        }
    }

    @Test
    void aFailedCommandKeepsItsExitCodeAndOutput() throws Exception {
        try (SshSession session = ssh.open("lab-009")) {
            RemoteFailure failure = (RemoteFailure) org.assertj.core.api.Assertions.catchThrowable(
                    () -> session.check(Command.of("tee", "--", "/sys/block/nvme0n1/queue/scheduler").stdin("cfq\n")));
            assertThat(failure.kind()).isEqualTo(Kind.COMMAND_FAILED);
            assertThat(failure.result().exitCode()).isEqualTo(1);
            assertThat(failure.result().stderr()).contains("Invalid argument");
            assertThat(failure.getMessage()).contains("exited with 1").contains("Invalid argument");
        }
    }

    @Test
    void outputBeyondTheCapIsCutAndMarked() throws Exception {
        try (SshSession session = ssh.open("lab-010")) {
            String big = "x".repeat(10_000);
            CommandResult result = session.check(Command.of("tee", "--", "/etc/sysctl.d/99-big.conf").stdin(big));
            assertThat(result.stdout()).hasSize(4096);
            assertThat(result.truncated()).isTrue();
            session.check(Command.of("rm", "-f", "--", "/etc/sysctl.d/99-big.conf"));
        }
    }

    @Test
    void anUnsimulatedCommandFailsLoudly() throws Exception {
        try (SshSession session = ssh.open("lab-011")) {
            CommandResult result = session.run(Command.of("reboot"));
            assertThat(result.exitCode()).isEqualTo(127);
            assertThat(result.stderr()).contains("not simulated");
        }
        assertThat(ssh.fleet().surprises()).hasSize(1);
        ssh.fleet().clearSurprises();
    }

    @Test
    void pinnedKeysCompareWithoutComments() {
        LabHost host = ssh.fleet().host("lab-012");
        assertThat(PinnedHostKey.parse("k", host.hostKey() + " root@lab")).isEqualTo(PinnedHostKey.parse("k", host.hostKey()));
    }
}
