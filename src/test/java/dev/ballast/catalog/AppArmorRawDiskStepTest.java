package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.HostState;
import dev.ballast.lab.Libvirt;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * apparmor-raw-disk on the lab's Debian-like hosts (every fourth index runs AppArmor: 4, 8, 16, 20 enabled,
 * 12 booted with apparmor=0). lab-008 and lab-020 hold vg_storage, whose disks are dm-2 (vm-web01) and dm-3
 * (vm-db01); lab-004 and lab-016 have no group for VM disks until a test makes one.
 */
class AppArmorRawDiskStepTest {

    static final String LOCAL = "/etc/apparmor.d/local/abstractions/libvirt-qemu";
    static final String SHIPPED = "# Site-specific additions and overrides for 'abstractions/libvirt-qemu'\n";
    static final String GRANT = "# Ballast apparmor-raw-disk vg_storage begin: every QEMU process on this host may open every "
            + "logical volume of vg_storage\n/dev/vg_storage/* rw,\n/dev/dm-2 rw,\n/dev/dm-3 rw,\n"
            + "# Ballast apparmor-raw-disk vg_storage end\n";

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(20);

    static TuningStep.Configured<?> grant(String vg) {
        return StepOnLab.configure(new AppArmorRawDiskStep(), Map.of("vg", vg));
    }

    /** Applied, verified, compliant on a second probe, rolled back to the shipped bytes; each reload reaches the running guest. */
    @Test
    void grantsTheGroupsLinksAndNodesAndRollsBackByteForByte() throws Exception {
        HostState host = ssh.fleet().host("lab-008").state();
        String vm81 = host.libvirt().uuidOf("vm-8-1");
        TuningStep.Configured<?> step = grant("vg_storage");
        try (SshSession shell = ssh.open("lab-008")) {
            StepState before = step.probe(shell);
            assertThat(before.facts()).containsExactly(Map.entry("local", SHIPPED), Map.entry("nodes", "/dev/dm-2 /dev/dm-3"));
            step.apply(shell, before);
            assertThat(host.file(LOCAL)).isEqualTo(SHIPPED + GRANT);
            assertThat(host.apparmorLoaded(vm81)).containsExactly("/dev/vg_storage/* rw,", "/dev/dm-2 rw,", "/dev/dm-3 rw,");
            Verification verification = step.verify(shell);
            assertThat(verification.passed(step.effect())).as(verification.note()).isTrue();
            assertThat(verification.note()).contains("/dev/dm-2 /dev/dm-3", "every guest on the host");

            StepState after = step.probe(shell);
            assertThat(step.drift(after)).as("already compliant").isEmpty();
            step.apply(shell, after);
            assertThat(host.file(LOCAL)).as("a second apply changes nothing").isEqualTo(SHIPPED + GRANT);

            step.rollback(shell, RestorePoint.of(before));
            assertThat(step.probe(shell)).isEqualTo(before);
        }
        assertThat(host.file(LOCAL)).isEqualTo(SHIPPED);
        assertThat(host.apparmorLoaded(vm81)).as("the guest's profile was reloaded without the grant").isEmpty();
    }

    /**
     * The lab's virt-aa-helper grants what the XML names, not the dm node AppArmor judges: a guest on a raw volume
     * of vg_storage cannot start until the grant is there, starts after it and after a reboot, and cannot once
     * rollback took the grant away.
     */
    @Test
    void aGuestOnARawVolumeStartsOnlyWithTheGrant() throws Exception {
        HostState host = ssh.fleet().host("lab-020").state();
        Libvirt libvirt = host.libvirt();
        String vm202 = libvirt.uuidOf("vm-20-2");
        libvirt.editByHand(vm202, xml -> xml.replace("/dev/vg_storage/vm-20-2-root", "/dev/vg_storage/vm-db01"));
        assertThatThrownBy(() -> libvirt.coldStart(vm202)).hasMessageContaining("Could not open '/dev/vg_storage/vm-db01': "
                + "Permission denied").hasMessageStartingWith("error: Failed to start domain 'vm-20-2'");

        TuningStep.Configured<?> step = grant("vg_storage");
        StepState before;
        try (SshSession shell = ssh.open("lab-020")) {
            before = step.probe(shell);
            step.apply(shell, before);
        }
        libvirt.coldStart(vm202);
        assertThat(host.apparmorLoaded(vm202)).contains("/dev/dm-3 rw,");
        assertThat(host.reboot()).as("guests that did not start again").isEmpty();
        assertThat(libvirt.liveXml(vm202)).isNotNull();
        try (SshSession shell = ssh.open("lab-020")) {
            assertThat(step.drift(step.probe(shell))).as("the file survives the reboot").isEmpty();
            step.rollback(shell, RestorePoint.of(before));
        }
        assertThat(host.apparmorLoaded(vm202)).as("rollback reloaded the running guest's profile").isEmpty();
        assertThat(host.reboot()).singleElement().asString().contains("vm-20-2", "Permission denied");
    }

    /**
     * The administrator's lines and a last line without a newline stay as they are; a group with no volume yet
     * gets its /dev/VG/* only. A file edited since Ballast wrote it is not trampled unless the operator forces it.
     */
    @Test
    void keepsTheAdministratorsLinesAndRefusesToTrampleALaterEdit() throws Exception {
        HostState host = ssh.fleet().host("lab-016").state();
        TuningStep.Configured<?> pool = StepOnLab.configure(new LvmThinPoolStep(),
                Map.of("device", "nvme1n1", "vg", "vg_new", "pool", "tp_new", "size", "500G"));
        String site = SHIPPED + "  /srv/iso/** r,  # the ISO library";
        host.writeByHand(LOCAL, site);
        TuningStep.Configured<?> step = grant("vg_new");
        try (SshSession shell = ssh.open("lab-016")) {
            pool.apply(shell, pool.probe(shell));
            StepState before = step.probe(shell);
            step.apply(shell, before);
            assertThat(host.file(LOCAL)).isEqualTo(site + "\n# Ballast apparmor-raw-disk vg_new begin: every QEMU process on "
                    + "this host may open every logical volume of vg_new\n/dev/vg_new/* rw,\n# Ballast apparmor-raw-disk vg_new end\n");
            StepState applied = step.verify(shell).observed();

            host.writeByHand(LOCAL, host.file(LOCAL) + "/srv/more/** r,\n");
            assertThatThrownBy(() -> step.rollback(shell, new RestorePoint(before, applied, false)))
                    .isInstanceOf(StepRefusal.class).hasMessageContaining("changed since Ballast wrote it");
            step.rollback(shell, new RestorePoint(before, applied, true));
        }
        assertThat(host.file(LOCAL)).isEqualTo(site);
    }

    /** A host without the file gets one with the grant alone, and rollback removes it again. */
    @Test
    void anAbsentFileIsCreatedAndRemovedAgain() throws Exception {
        HostState host = ssh.fleet().host("lab-004").state();
        TuningStep.Configured<?> step = grant("vg_os");
        try (SshSession shell = ssh.open("lab-004")) {
            shell.check(Command.of("rm", "-f", "--", LOCAL));
            StepState before = StepOnLab.fullCycle(shell, step);
            assertThat(before.absent("local")).isTrue();
        }
        assertThat(host.file(LOCAL)).isNull();
        host.writeByHand(LOCAL, SHIPPED);
    }

    /** The lab's apparmor_parser parses what the file holds and rejects a syntax error as the real one does. */
    @Test
    void aSyntaxErrorInTheFileFailsTheReload() throws Exception {
        HostState host = ssh.fleet().host("lab-004").state();
        String profile = "/etc/apparmor.d/libvirt/libvirt-" + host.libvirt().uuidOf("vm-4-1");
        try (SshSession shell = ssh.open("lab-004")) {
            host.writeByHand(LOCAL, SHIPPED + "/dev/vg_os/* rw\n/dev/dm-0 rw,\n");
            CommandResult missingComma = shell.run(Command.of("apparmor_parser", "-r", profile));
            assertThat(missingComma.exitCode()).isEqualTo(1);
            assertThat(missingComma.stderr()).isEqualTo("AppArmor parser error for " + profile + " in profile " + LOCAL
                    + " at line 3: syntax error, unexpected TOK_ID, expecting TOK_END_OF_RULE\n");
            host.writeByHand(LOCAL, SHIPPED + "/dev/vg_os/* rq,\n");
            assertThat(shell.run(Command.of("apparmor_parser", "-r", profile)).stderr()).endsWith("at line 2: Found unexpected character: 'q'\n");
            assertThatThrownBy(() -> grant("vg_os").apply(shell, grant("vg_os").probe(shell))).isInstanceOf(RemoteFailure.class)
                    .hasMessageContaining("apparmor_parser");
        } finally {
            host.writeByHand(LOCAL, SHIPPED);
        }
    }

    @Test
    void notApplicableWithoutAppArmorBeforeAnyChange() throws Exception {
        try (SshSession shell = ssh.open("lab-002")) {
            assertNotApplicable(() -> grant("vg_storage").probe(shell), "AppArmor is absent");
            assertNotApplicable(() -> grant("vg_storage").apply(shell, StepState.builder().put("local", null).put("nodes", "").build()),
                    "AppArmor is absent");
        }
        try (SshSession shell = ssh.open("lab-012")) {
            assertNotApplicable(() -> grant("vg_data").probe(shell), "AppArmor is disabled");
            assertNotApplicable(() -> grant("vg_data").apply(shell, StepState.builder().put("local", SHIPPED).put("nodes", "").build()),
                    "AppArmor is disabled");
        }
        try (SshSession shell = ssh.open("lab-004")) {
            assertNotApplicable(() -> grant("vg_storage").probe(shell), "no volume group vg_storage");
        }
        assertThat(ssh.fleet().host("lab-002").state().file(LOCAL)).isNull();
        assertThat(ssh.fleet().host("lab-012").state().file(LOCAL)).isEqualTo(SHIPPED);
    }

    /** qemu-disk-access hands AppArmor hosts to this step and finds SELinux and unconfined hosts compliant as they are. */
    @Test
    void qemuDiskAccessProbesTheHostsAccessControl() throws Exception {
        TuningStep.Configured<?> access = StepOnLab.configure(new QemuDiskAccessStep(), Map.of("vg", "vg_storage"));
        Map<String, String> mac = Map.of("lab-008", "apparmor", "lab-002", "selinux", "lab-003", "selinux", "lab-007", "none",
                "lab-012", "none");
        for (Map.Entry<String, String> host : mac.entrySet()) {
            try (SshSession shell = ssh.open(host.getKey())) {
                StepState state = access.probe(shell);
                assertThat(state.get("mac")).as(host.getKey()).isEqualTo(host.getValue());
                assertThat(access.drift(state)).as(host.getKey()).hasSize(host.getValue().equals("apparmor") ? 1 : 0);
            }
        }
        try (SshSession shell = ssh.open("lab-007")) {
            assertThat(access.probe(shell).get("why")).isEqualTo("AppArmor is absent: the kernel has no apparmor module; "
                    + "SELinux is disabled on the host");
        }
        try (SshSession shell = ssh.open("lab-016")) {
            assertNotApplicable(() -> access.probe(shell), "no volume group vg_storage");
        }
    }

    @Test
    void rejectsBadParametersNamingTheField() {
        for (String vg : new String[] {"vg;reboot", "..", "-x", "vg/*", "vg,", ""}) {
            for (TuningStep<?> step : new TuningStep<?>[] {new AppArmorRawDiskStep(), new QemuDiskAccessStep()}) {
                assertThatThrownBy(() -> step.configure("steps[0].params", Map.of("vg", vg)))
                        .isInstanceOf(InvalidInputException.class)
                        .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                                .containsExactly("steps[0].params.vg"));
            }
        }
    }

    private static void assertNotApplicable(ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOf(StepRefusal.class).hasMessageContaining(reason)
                .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.NOT_APPLICABLE));
    }
}
