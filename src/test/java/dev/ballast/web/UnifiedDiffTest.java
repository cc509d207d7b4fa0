package dev.ballast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The diff the host-in-rollout view draws, compared with what {@code diff -u} prints for the same texts. */
class UnifiedDiffTest {

    static String shown(UnifiedDiff diff) {
        return diff.lines().stream().map(UnifiedDiff.Line::shown).collect(Collectors.joining("\n"));
    }

    @Test
    void aChangedAttributeInADomainIsOneHunkWithThreeLinesOfContext() {
        String before = """
                <domain type='kvm'>
                  <name>vm-1</name>
                  <devices>
                    <disk type='block' device='disk'>
                      <driver name='qemu' type='raw' cache='writeback'/>
                      <source dev='/dev/vg0/vm-1'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>""";
        String after = before.replace("cache='writeback'", "cache='none' io='native'");

        // What GNU diff -u prints for these two files, minus its two file header lines.
        assertThat(shown(UnifiedDiff.of(before, after))).isEqualTo("""
                @@ -2,7 +2,7 @@
                   <name>vm-1</name>
                   <devices>
                     <disk type='block' device='disk'>
                -      <driver name='qemu' type='raw' cache='writeback'/>
                +      <driver name='qemu' type='raw' cache='none' io='native'/>
                       <source dev='/dev/vg0/vm-1'/>
                       <target dev='vda' bus='virtio'/>
                     </disk>""");
    }

    @Test
    void changesFarApartAreSeparateHunksAndEqualTextsNone() {
        List<String> lines = IntStream.rangeClosed(1, 20).mapToObj(i -> "line " + i).toList();
        String before = String.join("\n", lines);
        String after = before.replace("line 2\n", "line two\n").replace("line 18\n", "line eighteen\n");

        assertThat(UnifiedDiff.of(before, after).lines()).filteredOn(l -> l.kind() == '@').extracting(UnifiedDiff.Line::text)
                .containsExactly("@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@");
        assertThat(UnifiedDiff.of(before, before).isEmpty()).isTrue();
        assertThat(shown(UnifiedDiff.of("", "a\nb"))).isEqualTo("@@ -0,0 +1,2 @@\n+a\n+b");
    }
}
