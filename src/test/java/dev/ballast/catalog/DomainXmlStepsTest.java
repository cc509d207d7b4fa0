package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.Libvirt;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * What the three domain XML steps share, run for each: the full cycle on one domain and on all,
 * idempotence, a running domain waiting for its cold start, the nova guard, transient domains and parameter checks.
 * Every test leaves its host as it found it, so the steps can share the fleet.
 */
class DomainXmlStepsTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(5);

    static Stream<DomainXmlStep<?>> steps() {
        return Stream.of(new DiskCacheStep(), new VirtioScsiStep(), new DomainHugepagesStep());
    }

    /**
     * domain-hugepages refuses guests the host holds no free huge pages for, now and after the next boot:
     * 8192 of 2M, reserved and on the kernel command line, cover every lab guest.
     */
    @BeforeEach
    void reserveHugePages() {
        ssh.fleet().hosts().forEach(host -> {
            host.state().setHugepages2m(8192);
            host.state().setKernelCommandLine("BOOT_IMAGE=/boot/vmlinuz root=/dev/mapper/vg_os-root ro hugepages=8192");
        });
    }

    /** virtio-scsi refuses guests not known to boot from it; these tests are about the XML, so their plans accept them. */
    private static TuningStep.Configured<?> configure(DomainXmlStep<?> step, String domain) {
        return StepOnLab.configure(step, step instanceof VirtioScsiStep ? Map.of("domain", domain, "acceptUnknownGuests", "true")
                : Map.of("domain", domain));
    }

    private static Libvirt libvirt(String host) {
        return ssh.fleet().host(host).state().libvirt();
    }

    private static void assertRestored(Libvirt libvirt, StepState captured) {
        captured.facts().forEach((fact, xml) -> assertThat(DomainXml.canonical(
                libvirt.inactiveXml(fact.substring(DomainXmlStep.FACT_PREFIX.length()))))
                .as("the XML of %s after rollback", fact).isEqualTo(DomainXml.canonical(xml)));
    }

    @ParameterizedTest
    @MethodSource("steps")
    void fullCycleOnOneDomainNamedAndResolvedToItsUuid(DomainXmlStep<?> step) throws Exception {
        Libvirt libvirt = libvirt("lab-001");
        String uuid = libvirt.uuidOf("vm-1-2");
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = StepOnLab.fullCycle(shell, configure(step, "vm-1-2"));
            assertThat(before.facts()).containsOnlyKeys("domain/" + uuid);
            assertRestored(libvirt, before);
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void fullCycleOnAllDomains(DomainXmlStep<?> step) throws Exception {
        Libvirt libvirt = libvirt("lab-002");
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = StepOnLab.fullCycle(shell, configure(step, "all"));
            assertThat(before.facts().keySet()).containsExactlyElementsOf(
                    libvirt.uuids().stream().map(uuid -> "domain/" + uuid).toList());
            assertRestored(libvirt, before);
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void applyingTwiceIsAlreadyCompliantAndKeepsTheVncPassword(DomainXmlStep<?> step) throws Exception {
        TuningStep.Configured<?> configured = configure(step, "all");
        Libvirt libvirt = libvirt("lab-004");
        try (SshSession shell = ssh.open("lab-004")) {
            StepState before = configured.probe(shell);
            configured.apply(shell, before);
            StepState once = configured.probe(shell);
            assertThat(configured.drift(once)).isEmpty();
            configured.apply(shell, once);
            assertThat(configured.probe(shell)).isEqualTo(once);
            assertThat(libvirt.inactiveXml(libvirt.uuidOf("vm-4-1"))).contains("passwd='s3cret-4-1'");
            configured.rollback(shell, RestorePoint.of(before));
            assertRestored(libvirt, before);
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void aRunningDomainIsAppliedButWaitsForItsColdStart(DomainXmlStep<?> step) throws Exception {
        TuningStep.Configured<?> configured = configure(step, "vm-5-1");
        Libvirt libvirt = libvirt("lab-005");
        String uuid = libvirt.uuidOf("vm-5-1");
        try (SshSession shell = ssh.open("lab-005")) {
            StepState before = configured.probe(shell);
            configured.apply(shell, before);

            Verification waiting = configured.verify(shell);
            assertThat(waiting.applied()).isTrue();
            assertThat(waiting.inEffect()).isFalse();
            assertThat(waiting.passed(step.effect())).isTrue();
            assertThat(waiting.note()).contains(PendingRestart.COLD_START_NOTE).contains("vm-5-1");

            libvirt.coldStart(uuid);
            assertThat(configured.verify(shell).inEffect()).isTrue();

            configured.rollback(shell, RestorePoint.of(before));
            libvirt.coldStart(uuid);
            assertRestored(libvirt, before);
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void aDomainManagedByNovaIsRefusedAsUnsafe(DomainXmlStep<?> step) throws Exception {
        try (SshSession shell = ssh.open("lab-003")) {
            for (String domain : List.of("vm-3-3", "all")) {
                TuningStep.Configured<?> configured = StepOnLab.configure(step, Map.of("domain", domain));
                assertThatThrownBy(() -> configured.probe(shell)).isInstanceOf(StepRefusal.class)
                        .hasMessageContaining("managed by OpenStack nova")
                        .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.UNSAFE));
            }
        }
        assertThat(libvirt("lab-003").inactiveXml(libvirt("lab-003").uuidOf("vm-3-3"))).doesNotContain("hugepages");
    }

    @ParameterizedTest
    @MethodSource("steps")
    void aTransientDomainIsNeverMadePersistent(DomainXmlStep<?> step) throws Exception {
        Libvirt libvirt = libvirt("lab-002");
        String uuid = LabLibvirtTest.startTransient(libvirt, "vm-2-1", "ci-runner-2");
        try (SshSession shell = ssh.open("lab-002")) {
            for (String domain : List.of("all", "ci-runner-2")) {
                TuningStep.Configured<?> configured = configure(step, domain);
                try {
                    StepState before = configured.probe(shell);
                    configured.apply(shell, before);
                    configured.rollback(shell, RestorePoint.of(before));
                } catch (StepRefusal refused) {
                    // Refusing is one honest answer; what must never happen is checked below.
                }
                assertThat(libvirt.persistent(uuid)).as("transient ci-runner-2 is persistent after %s on domain %s",
                        step.id(), domain).isFalse();
            }
        } finally {
            libvirt.migrateAway(uuid);
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void allSkipsATransientDomainAndSaysSo(DomainXmlStep<?> step) throws Exception {
        Libvirt libvirt = libvirt("lab-002");
        String uuid = LabLibvirtTest.startTransient(libvirt, "vm-2-1", "ci-runner-2");
        try (SshSession shell = ssh.open("lab-002")) {
            TuningStep.Configured<?> configured = configure(step, "all");
            StepState before = StepOnLab.fullCycle(shell, configured);
            assertThat(before.facts()).doesNotContainKey("domain/" + uuid).containsKey(DomainXmlStep.SKIPPED_PREFIX + uuid);
            assertThat(configured.verify(shell).note()).contains("skipped transient domain " + uuid);
        } finally {
            libvirt.migrateAway(uuid);
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void aTransientDomainNamedIsRefusedAsUnsafe(DomainXmlStep<?> step) throws Exception {
        Libvirt libvirt = libvirt("lab-002");
        String uuid = LabLibvirtTest.startTransient(libvirt, "vm-2-1", "ci-runner-2");
        try (SshSession shell = ssh.open("lab-002")) {
            for (String domain : List.of("ci-runner-2", uuid)) {
                TuningStep.Configured<?> configured = configure(step, domain);
                assertThatThrownBy(() -> configured.probe(shell)).isInstanceOf(StepRefusal.class)
                        .hasMessageContaining("transient").hasMessageContaining(uuid).hasMessageContaining("virsh define")
                        .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.UNSAFE));
            }
        } finally {
            libvirt.migrateAway(uuid);
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void anUndefinedDomainIsNotApplicable(DomainXmlStep<?> step) throws Exception {
        try (SshSession shell = ssh.open("lab-001")) {
            for (String domain : List.of("vm-9-9", "00000000-0000-4000-8000-000000000000")) {
                TuningStep.Configured<?> configured = StepOnLab.configure(step, Map.of("domain", domain));
                assertThatThrownBy(() -> configured.probe(shell)).isInstanceOf(StepRefusal.class)
                        .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.NOT_APPLICABLE));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void rejectsDomainsThatCouldCarryShellSyntaxNamingTheField(DomainXmlStep<?> step) {
        for (String domain : List.of("vm1;reboot", "$(id)", "vm 1", "1vm")) {
            assertThatThrownBy(() -> step.configure("steps[0].params", Map.of("domain", domain)))
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                            .containsExactly("steps[0].params.domain"));
        }
        assertThatThrownBy(() -> step.configure("steps[0].params", Map.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("steps[0].params.domain: is required");
    }

    @ParameterizedTest
    @MethodSource("steps")
    void waitsForAColdStartAndSurvivesHostReboots(DomainXmlStep<?> step) {
        assertThat(step.effect()).isEqualTo(Effect.NEXT_DOMAIN_COLD_START);
        assertThat(step.survivesReboot()).isTrue();
    }
}
