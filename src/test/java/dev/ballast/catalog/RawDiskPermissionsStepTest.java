package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.HostState;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class RawDiskPermissionsStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(3);

    static TuningStep.Configured<?> permissions(String vg) {
        return StepOnLab.configure(new RawDiskPermissionsStep(), Map.of("vg", vg));
    }

    @Test
    void restrictsEveryActiveVolumeAndRestoresEachModeExactly() throws Exception {
        HostState host = ssh.fleet().host("lab-002").state();
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = StepOnLab.fullCycle(shell, permissions("vg_storage"));
            assertThat(before.facts()).containsExactly(Map.entry("/dev/vg_storage/vm-db01", "640 root:disk"),
                    Map.entry("/dev/vg_storage/vm-web01", "660 root:disk"), Map.entry("rule", StepState.ABSENT));
        }
        assertThat(host.nodeMode("/dev/vg_storage/vm-web01")).isEqualTo("660");
        assertThat(host.nodeMode("/dev/vg_storage/vm-db01")).isEqualTo("640");
        assertThat(host.file("/etc/udev/rules.d/99-ballast-raw-disk-vg_storage.rules")).isNull();
    }

    @Test
    void keepsTheModeWithAUdevRuleAndLeavesPoolsAlone() throws Exception {
        TuningStep.Configured<?> step = permissions("vg_data");
        HostState host = ssh.fleet().host("lab-003").state();
        try (SshSession shell = ssh.open("lab-003")) {
            StepState before = step.probe(shell);
            assertThat(before.facts()).containsOnlyKeys("/dev/vg_data/vm-app01", "rule");
            step.apply(shell, before);
            assertThat(step.drift(step.probe(shell))).isEmpty();
            step.apply(shell, step.probe(shell));
            assertThat(step.probe(shell).get("/dev/vg_data/vm-app01")).isEqualTo("600 libvirt-qemu:kvm");
        }
        assertThat(host.nodeMode("/dev/vg_data/vm-app01")).isEqualTo("600");
        assertThat(host.file("/etc/udev/rules.d/99-ballast-raw-disk-vg_data.rules"))
                .endsWith("ENV{DM_VG_NAME}==\"vg_data\", MODE=\"0600\"\n");
    }

    @Test
    void aMissingVolumeGroupIsNotApplicable() throws Exception {
        try (SshSession shell = ssh.open("lab-001")) {
            assertThatThrownBy(() -> permissions("vg_storage").probe(shell)).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("no volume group vg_storage")
                    .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.NOT_APPLICABLE));
        }
    }

    @Test
    void rejectsBadParametersNamingTheField() {
        for (String vg : new String[] {"vg;chmod", "..", "-x", "vg/../etc"}) {
            assertThatThrownBy(() -> new RawDiskPermissionsStep().configure("steps[0].params", Map.of("vg", vg)))
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                            .containsExactly("steps[0].params.vg"));
        }
    }
}
