package dev.ballast.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hardware-reading programs of a lab host, printing what the real tools print for the state in
 * {@link Hardware}: virt-host-validate (under {@code env LC_ALL=C}), nvme smart-log, sensors -j,
 * readlink of a controller's sysfs device and lspci -vvv. Any other arguments are a {@link LabSurprise}.
 */
final class HardwareTools {

    private static final String SHELL_127 = "bash: line 1: %s: command not found\n";

    private HardwareTools() {
    }

    /** Only the one use the catalog has: the validator under the C locale, so its lines are English. */
    static Exec env(Hardware hw, List<String> args) {
        return LabPrograms.expect(args, List.of("LC_ALL=C", "virt-host-validate", "qemu"), () -> virtHostValidate(hw));
    }

    private static Exec virtHostValidate(Hardware hw) {
        List<String> lines = new ArrayList<>();
        lines.add(validated("Checking for hardware virtualization", "PASS"));
        lines.add(validated("Checking if device /dev/kvm exists", "PASS"));
        lines.add(validated("Checking if device /dev/kvm is accessible", "PASS"));
        lines.add(validated("Checking if device /dev/vhost-net exists", hw.vhostNet ? "PASS"
                : "FAIL (Load the 'vhost_net' module to improve performance of virtio networking)"));
        lines.add(validated("Checking if device /dev/net/tun exists", "PASS"));
        for (String cgroup : List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "blkio")) {
            lines.add(validated("Checking for cgroup '" + cgroup + "' controller support", "PASS"));
        }
        if (hw.iommu == Hardware.Iommu.NO_HARDWARE) {
            lines.add(validated("Checking for device assignment IOMMU support", "WARN (No ACPI DMAR table found,"
                    + " IOMMU either disabled in BIOS or not supported by this hardware platform)"));
        } else {
            lines.add(validated("Checking for device assignment IOMMU support", "PASS"));
            lines.add(validated("Checking if IOMMU is enabled by kernel", hw.iommu == Hardware.Iommu.ENABLED ? "PASS"
                    : "WARN (IOMMU appears to be disabled in kernel. Add intel_iommu=on to kernel cmdline arguments)"));
        }
        lines.add(validated("Checking for secure guest support", "WARN (Unknown if this platform has Secure Guest support)"));
        return new Exec(hw.vhostNet ? 0 : 1, String.join("", lines), "");
    }

    private static String validated(String check, String verdict) {
        return String.format("%6s: %-69s: %s%n", "QEMU", check, verdict);
    }

    /** {@code nvme smart-log /dev/nvmeN -o json}: nvme-cli 2.x's flat object, temperatures in kelvins. */
    static Exec nvme(Hardware hw, List<String> args) {
        if (!hw.nvmeCli) {
            return Exec.fail(127, String.format(SHELL_127, "nvme"));
        }
        if (args.size() != 4 || !args.get(0).equals("smart-log") || !args.get(1).matches("/dev/nvme\\d{1,3}")
                || !args.subList(2, 4).equals(List.of("-o", "json"))) {
            throw new LabSurprise("nvme " + args);
        }
        Hardware.Nvme c = hw.controller(args.get(1).substring("/dev/".length()));
        if (c == null) {
            return Exec.fail(1, "Failed to open " + args.get(1) + ": No such file or directory\n");
        }
        return Exec.ok(String.format("{%n  \"critical_warning\":0,%n  \"temperature\":%d,%n  \"avail_spare\":100,%n"
                + "  \"spare_thresh\":10,%n  \"percent_used\":2,%n  \"endurance_grp_critical_warning_summary\":0,%n"
                + "  \"data_units_read\":48215513,%n  \"data_units_written\":61288204,%n  \"host_read_commands\":1022938751,%n"
                + "  \"host_write_commands\":1533812219,%n  \"controller_busy_time\":3176,%n  \"power_cycles\":41,%n"
                + "  \"power_on_hours\":17533,%n  \"unsafe_shutdowns\":12,%n  \"media_errors\":0,%n"
                + "  \"num_err_log_entries\":0,%n  \"warning_temp_time\":0,%n  \"critical_comp_time\":0,%n"
                + "  \"temperature_sensor_1\":%d,%n  \"temperature_sensor_2\":%d,%n  \"thm_temp1_trans_count\":0,%n"
                + "  \"thm_temp2_trans_count\":0,%n  \"thm_temp1_total_time\":0,%n  \"thm_temp2_total_time\":0%n}%n",
                c.kelvin, c.kelvin, c.kelvin + 8));
    }

    /**
     * {@code sensors -j}: lm-sensors prints its JSON by hand, three-space indents, labels unescaped,
     * 65261.850 and -273.150 for limits it cannot read.
     */
    static Exec sensors(Hardware hw, List<String> args) {
        if (!args.equals(List.of("-j"))) {
            throw new LabSurprise("sensors " + args);
        }
        StringBuilder out = new StringBuilder("{\n");
        out.append("   \"coretemp-isa-0000\":{\n      \"Adapter\": \"ISA adapter\",\n")
                .append("      \"").append(hw.sensorsQuotedLabel ? "CPU \"Package\"" : "Package id 0").append("\":{\n")
                .append("         \"temp1_input\": 48.000,\n         \"temp1_max\": 84.000,\n")
                .append("         \"temp1_crit\": 94.000,\n         \"temp1_crit_alarm\": 0.000\n      }\n   }");
        for (Hardware.Nvme c : hw.controllers.values()) {
            double celsius = c.kelvin - 273.15;
            out.append(",\n   \"").append(c.sensorsChip()).append("\":{\n      \"Adapter\": \"PCI adapter\",\n")
                    .append("      \"Composite\":{\n")
                    .append(String.format(Locale.ROOT, "         \"temp1_input\": %.3f,%n", celsius))
                    .append("         \"temp1_max\": 81.850,\n         \"temp1_min\": -273.150,\n")
                    .append("         \"temp1_crit\": 84.850,\n         \"temp1_alarm\": 0.000\n      },\n")
                    .append("      \"Sensor 1\":{\n")
                    .append(String.format(Locale.ROOT, "         \"temp2_input\": %.3f,%n", celsius))
                    .append("         \"temp2_max\": 65261.850,\n         \"temp2_min\": -273.150\n      }\n   }");
        }
        return Exec.ok(out.append("\n}\n").toString());
    }

    /** {@code readlink -f /sys/class/nvme/nvmeN/device}: the controller's PCI device under its bridge. */
    static Exec readlink(Hardware hw, List<String> args) {
        if (args.size() != 2 || !args.get(0).equals("-f") || !args.get(1).matches("/sys/class/nvme/nvme\\d{1,3}/device")) {
            throw new LabSurprise("readlink " + args);
        }
        Hardware.Nvme c = hw.controller(args.get(1).split("/")[4]);
        return c == null ? Exec.fail(1, "") : Exec.ok("/sys/devices/" + c.parent + "/" + c.address + "\n");
    }

    /** {@code lspci -vvv -s BDF}: an address with no device prints nothing and exits 0, as lspci does. */
    static Exec lspci(Hardware hw, List<String> args) {
        if (args.size() != 3 || !args.subList(0, 2).equals(List.of("-vvv", "-s"))
                || !args.get(2).matches("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]")) {
            throw new LabSurprise("lspci " + args);
        }
        Hardware.Nvme c = hw.controllerAt(args.get(2));
        return Exec.ok(c == null ? "" : LabLspci.render(c, hw.domainsBeyondZero()));
    }
}
