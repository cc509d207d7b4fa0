package dev.ballast.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A test run killed while its lab is up (CI cancelled, kill -9, a machine restored from a snapshot)
 * leaves the lab's sshd processes and directory behind: the next run must not fail on them.
 */
class RealSshdLabLeftoversTest {

    /** Any well-formed OpenSSH public key: nobody logs in with it here. */
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl leftovers";

    @Test
    void aLabLeftByAKilledRunIsTakenDownBeforeTheNextOneComesUp() throws Exception {
        RealSshdLab.requirePrerequisites();
        // What a killed run leaves: its lab up in the tests' directory, its lock released with its JVM.
        RealSshdLab.run(List.of("up", "2"));

        try (RealSshdLab lab = RealSshdLab.up(1, KEY)) {
            assertThat(lab.ballastInventory()).contains("hv-001.lab").doesNotContain("hv-002.lab");
        }
    }
}
