package dev.ballast.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPatternTest {

    @Test
    void expandsZeroPaddedRangesAsAnsibleDoes() {
        assertThat(HostPattern.expand("hv[01:50].dc1")).hasSize(50).startsWith("hv01.dc1", "hv02.dc1").endsWith("hv50.dc1");
        assertThat(HostPattern.expand("hv[8:11]")).containsExactly("hv8", "hv9", "hv10", "hv11");
    }

    @Test
    void expandsLetterRangesStepsAndSeveralRanges() {
        assertThat(HostPattern.expand("node-[a:c]")).containsExactly("node-a", "node-b", "node-c");
        assertThat(HostPattern.expand("hv[1:9:4]")).containsExactly("hv1", "hv5", "hv9");
        assertThat(HostPattern.expand("r[1:2]-hv[1:2]")).containsExactly("r1-hv1", "r1-hv2", "r2-hv1", "r2-hv2");
    }

    @Test
    void leavesPlainNamesAlone() {
        assertThat(HostPattern.expand("hv01.dc1")).containsExactly("hv01.dc1");
    }

    @Test
    void refusesMalformedAndHugeRanges() {
        assertThatThrownBy(() -> HostPattern.expand("hv[05:01]")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> HostPattern.expand("hv[1:a]")).hasMessageContaining("mixes letters and numbers");
        assertThatThrownBy(() -> HostPattern.expand("hv[1-5]")).hasMessageContaining("malformed range");
        assertThatThrownBy(() -> HostPattern.expand("hv[0:99999]")).hasMessageContaining("over 10000");
        assertThatThrownBy(() -> HostPattern.expand("a[0:999]b[0:999]")).hasMessageContaining("over 10000");
    }
}
