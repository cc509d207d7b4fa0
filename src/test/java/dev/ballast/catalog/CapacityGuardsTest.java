package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.HostState;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * The guards that refuse before anything changes, on lab hosts whose memory behaves as a real host's
 * (256 GiB, 8 GiB held by the host itself, running guests holding theirs, fragmented 2M blocks, no
 * 1G blocks once up): huge pages that would starve the host, 1G pages claimed at runtime, guests switched
 * to huge pages the host does not hold free.
 */
class CapacityGuardsTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(6);

    @Test
    void hugePagesThatWouldLeaveLessThanTheReserveAreRefusedBeforeAnythingChanges() throws Exception {
        // lab-003 holds 12 GiB of running guests: 236 GiB available, a default reserve of 25.6 GiB.
        TuningStep.Configured<?> step = StepOnLab.configure(new HugepagesStep(), Map.of("count", "110000"));
        HostState host = ssh.fleet().host("lab-003").state();
        try (SshSession shell = ssh.open("lab-003")) {
            StepState before = step.probe(shell);
            assertThatThrownBy(() -> step.apply(shell, before)).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("110000 pages of 2M take 214.8 GiB more than the 0 reserved now")
                    .hasMessageContaining("less than the reserve of 25.6 GiB")
                    .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.UNSAFE));
        }
        assertThat(host.hugepages2m()).isZero();
        assertThat(host.file("/etc/sysctl.d/80-ballast-hugepages.conf")).isNull();

        TuningStep.Configured<?> withReserve = StepOnLab.configure(new HugepagesStep(), Map.of("count", "90000", "reserve", "64G"));
        try (SshSession shell = ssh.open("lab-003")) {
            StepState before = withReserve.probe(shell);
            assertThatThrownBy(() -> withReserve.apply(shell, before)).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("less than the reserve of 64.0 GiB");
        }
        assertThat(host.hugepages2m()).isZero();
    }

    @Test
    void oneGigabytePagesArePersistedForTheNextBootAndNeverClaimedInEffect() throws Exception {
        TuningStep.Configured<?> step = StepOnLab.configure(new HugepagesStep(), Map.of("count", "16", "size", "1G"));
        HostState host = ssh.fleet().host("lab-002").state();
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = step.probe(shell);
            step.apply(shell, before);
            Verification verification = step.verify(shell);
            assertThat(verification.applied()).isTrue();
            assertThat(verification.inEffect()).as("a running host finds no 1 GiB blocks").isFalse();
            assertThat(step.effect()).isEqualTo(Effect.NEXT_HOST_REBOOT);
            assertThat(verification.passed(step.effect())).isTrue();
            assertThat(verification.note()).isEqualTo("applied; takes effect at the next boot, which reserves the 16 pages of "
                    + "1G (0 now)");
            assertThat(host.file("/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages")).isEqualTo("0\n");
            assertThat(host.file("/etc/tmpfiles.d/ballast-hugepages-1G.conf"))
                    .contains("w /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages - - - - 16");
            step.rollback(shell, RestorePoint.of(before));
            assertThat(step.probe(shell)).isEqualTo(before);
        }
    }

    @Test
    void guestsAreNotSwitchedToHugePagesTheHostDoesNotHoldFree() throws Exception {
        // lab-001 has vm-1-1 (4 GiB) and vm-1-2 (2 GiB) and vm-1-3 (8 GiB): 7168 pages of 2M in all.
        TuningStep.Configured<?> step = StepOnLab.configure(new DomainHugepagesStep(), Map.of("domain", "all"));
        TuningStep.Configured<?> pages = StepOnLab.configure(new HugepagesStep(), Map.of("count", "7000"));
        HostState host = ssh.fleet().host("lab-001").state();
        try (SshSession shell = ssh.open("lab-001")) {
            pages.apply(shell, pages.probe(shell));
            StepState before = step.probe(shell);
            assertThatThrownBy(() -> step.apply(shell, before)).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("the 3 guests it would switch to huge pages need 7168 pages of 2048 kB, and 7000 are "
                            + "free: 168 pages short");
            assertThat(step.probe(shell)).as("no domain was defined again").isEqualTo(before);

            TuningStep.Configured<?> enough = StepOnLab.configure(new HugepagesStep(), Map.of("count", "7168"));
            enough.apply(shell, enough.probe(shell));
            step.apply(shell, before);
            assertThat(step.drift(step.probe(shell))).isEmpty();
            step.rollback(shell, RestorePoint.of(before));
            assertThat(step.probe(shell)).isEqualTo(before);
        }
        assertThat(host.hugepages2m()).isEqualTo(7168);
    }
}
