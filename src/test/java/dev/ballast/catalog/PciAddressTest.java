package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PciAddressTest {

    @Test
    void takesTheAddressOfAFunctionBehindIntelVmd() {
        PciAddress address = PciAddress.ofDevicePath(
                "/sys/devices/pci0000:00/0000:00:0e.0/pci10000:e0/10000:e0:06.0/10000:e1:00.0\n");
        assertThat(address.arg()).isEqualTo("10000:e1:00.0");
        assertThat(new PciAddress("7fffffff:00:1f.7").arg()).isEqualTo("7fffffff:00:1f.7");
    }

    @Test
    void namesTheSensorsChipAsLibsensorsDoes() {
        assertThat(new PciAddress("0000:01:00.0").sensorsChip("nvme")).isEqualTo("nvme-pci-0100");
        assertThat(new PciAddress("0001:02:00.1").sensorsChip("nvme")).isEqualTo("nvme-pci-10201");
        // libsensors sums in a C int: VMD's domain 10000 shifts out of it.
        assertThat(new PciAddress("10000:e1:00.0").sensorsChip("nvme")).isEqualTo("nvme-pci-e100");
    }

    @Test
    void rejectsWhatSysfsNeverNames() {
        for (String bad : new String[] {"000:01:00.0", "100000000:01:00.0", "0000:01:00.8", "0000:1:00.0", "0000:01:00.0 ",
                "10000:E1:00.0", "0000:01:00.0;id"}) {
            assertThatThrownBy(() -> new PciAddress(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
