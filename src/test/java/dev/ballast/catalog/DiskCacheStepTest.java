package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

import dev.ballast.lab.Libvirt;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class DiskCacheStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(2);

    @Test
    void setsCacheAndIoOnDisksButNotOnTheCdrom() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-002").state().libvirt();
        String uuid = libvirt.uuidOf("vm-2-2");
        TuningStep.Configured<?> step = StepOnLab.configure(new DiskCacheStep(),
                Map.of("domain", "vm-2-2", "cache", "directsync", "io", "threads"));
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = step.probe(shell);
            assertThat(step.drift(before)).containsExactly(new Drift("domain/" + uuid + " (vm-2-2) disk vda",
                    "cache=directsync io=threads", "cache=unset io=unset"));
            step.apply(shell, before);
            assertThat(DomainXml.canonical(libvirt.inactiveXml(uuid)))
                    .contains("<driver cache=\"directsync\" io=\"threads\" name=\"qemu\" type=\"raw\"/>")
                    .contains("<driver name=\"qemu\" type=\"raw\"/>");
            step.rollback(shell, RestorePoint.of(before));
        }
    }

    @Test
    void addsADriverElementWhenADiskHasNone() {
        Document document = DomainXml.parse("<domain type='kvm'><name>x</name><devices><disk type='block'>"
                + "<source dev='/dev/vg/x'/><target dev='vda' bus='virtio'/></disk></devices></domain>");
        DiskCacheStep step = new DiskCacheStep();
        DiskCacheStep.Params params = step.configure("step", Map.of("domain", "x")).params();
        assertThat(step.edit(document.getDocumentElement(), params)).hasSize(1);
        assertThat(DomainXml.serialize(document)).contains("<disk type=\"block\"><driver cache=\"none\" io=\"native\" name=\"qemu\"/>");
        assertThat(step.edit(document.getDocumentElement(), params)).isEmpty();
    }

    @Test
    void rejectsNativeIoWithACachingModeNamingTheField() {
        assertThatThrownBy(() -> new DiskCacheStep().configure("steps[0].params",
                Map.of("domain", "vm-1-1", "cache", "writeback")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).singleElement()
                        .satisfies(f -> {
                            assertThat(f.field()).isEqualTo("steps[0].params.cache");
                            assertThat(f.message()).contains("io 'native'");
                        }));
        assertThat(new DiskCacheStep().configure("steps[0].params",
                Map.of("domain", "vm-1-1", "cache", "writeback", "io", "threads")).params().cache())
                .isEqualTo(DiskCacheStep.Cache.WRITEBACK);
    }

    @Test
    void rejectsUnknownModesAndParameters() {
        assertThatThrownBy(() -> new DiskCacheStep().configure("steps[0].params",
                Map.of("domain", "$(id)", "cache", "fast", "io", "io_uring;x", "iothread", "1")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("steps[0].params.domain", "steps[0].params.cache",
                                "steps[0].params.io", "steps[0].params.iothread"));
    }
}
