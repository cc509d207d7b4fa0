package dev.ballast.remote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.LabHost;

class SshSessionTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(3);

    @Test
    void runsCommandsOverOneConnectionWithPinnedHostKey() throws Exception {
        LabHost host = ssh.fleet().hosts().get(0);
        try (SshSession session = ssh.open(host)) {
            CommandResult kernel = session.check(Command.of("uname", "-r"));
            CommandResult scheduler = session.check(Command.of("cat", "--", "/sys/block/nvme0n1/queue/scheduler"));
            assertThat(kernel.stdout()).isEqualTo("6.1.0-27-amd64\n");
            assertThat(scheduler.stdout()).isEqualTo("none [mq-deadline] kyber bfq\n");
            assertThat(session.trustedOnFirstUse()).isFalse();
        }
        assertThat(ssh.fleet().surprises()).isEmpty();
    }
}
