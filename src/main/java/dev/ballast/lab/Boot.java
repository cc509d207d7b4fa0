package dev.ballast.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lab host's reboot. What lives only in the running kernel is lost: active schedulers go back to what
 * the distribution sets, huge page pools are empty, /dev nodes are created afresh (mode 660), every
 * guest stops, the kernel log starts again. Then the boot rebuilds what is persisted, the way the kernel,
 * systemd and udev do: hugepages= on the kernel command line, then sysctl.d files in name order with
 * /etc/sysctl.conf read last (the last value of a key wins), tmpfiles.d writes (where 1G huge pages are
 * found, while memory is still whole), udev rules for block devices in name order (a scheduler switch resets
 * the queue depth, so a later rule's depth stands); then libvirt-guests starts the
 * guests that were running, each from its persistent XML. A guest backed by huge pages that the host no
 * longer holds fails to start, as QEMU does with "Cannot allocate memory".
 */
final class Boot {

    /** Default-size pages on the kernel command line; the lab's kernels boot with 2M as the default. */
    private static final Pattern CMDLINE = Pattern.compile("(?<=^| )hugepages=(\\d+)(?= |$)");
    private static final Pattern SYSCTL = Pattern.compile("(?m)^\\s*vm\\.nr_hugepages\\s*=\\s*(\\d+)\\s*$");
    private static final Pattern TMPFILES = Pattern.compile(
            "(?m)^w\\s+/sys/kernel/mm/hugepages/hugepages-(\\d+)kB/nr_hugepages\\s+-\\s+-\\s+-\\s+-\\s+(\\d+)\\s*$");
    /** A block rule of Ballast's kind: the disk by WWID or kernel name, then queue attributes to write. */
    private static final Pattern QUEUE_RULE = Pattern.compile(
            "(?m)^ACTION==\"add\\|change\", SUBSYSTEM==\"block\", (?:ATTRS\\{wwid\\}==\"([^\"]+)\"|KERNEL==\"([^\"]+)\")"
                    + "((?:, ATTR\\{queue/[a-z_]+\\}=\"[^\"]*\")+)$");
    private static final Pattern ATTRIBUTE = Pattern.compile("ATTR\\{(queue/[a-z_]+)\\}=\"([^\"]*)\"");
    private static final Pattern MODE_RULE = Pattern.compile("(?m)^ENV\\{DM_VG_NAME\\}==\"([^\"]+)\", MODE=\"0?([0-7]{3})\"$");

    private Boot() {
    }

    /** Reboots the host; answers what the boot printed about guests that did not start. */
    static List<String> reboot(HostState state) {
        List<String> wereRunning = state.libvirt.runningUuids();
        state.libvirt.stopAll();
        state.hugepages.powerOff();
        state.disks.all().forEach(Disks.Disk::boot);
        state.lvm.lvs.forEach(lv -> lv.mode = "660");
        state.kernelLog.reboot();
        state.apparmor.reboot();

        Map<String, String> etc = state.etc.all();
        long pages2m = -1;
        Matcher kernel = CMDLINE.matcher(state.hugepages.cmdline);
        while (kernel.find()) {
            pages2m = Long.parseLong(kernel.group(1));
        }
        for (Map.Entry<String, String> file : etc.entrySet()) {
            if (file.getKey().startsWith("/etc/sysctl.d/") && file.getKey().endsWith(".conf")) {
                pages2m = lastValue(file.getValue(), pages2m);
            }
        }
        if (etc.containsKey("/etc/sysctl.conf")) {
            pages2m = lastValue(etc.get("/etc/sysctl.conf"), pages2m);
        }
        if (pages2m >= 0) {
            state.hugepages.reserveAtBoot(Hugepages.DEFAULT_KIB, pages2m);
        }
        etc.forEach((path, text) -> {
            Matcher w = TMPFILES.matcher(path.startsWith("/etc/tmpfiles.d/") ? text : "");
            while (w.find()) {
                state.hugepages.reserveAtBoot(Long.parseLong(w.group(1)), Long.parseLong(w.group(2)));
            }
        });
        etc.forEach((path, text) -> {
            if (path.startsWith("/etc/udev/rules.d/") && path.endsWith(".rules")) {
                udev(state, text);
            }
        });

        List<String> failed = new ArrayList<>();
        for (String uuid : wereRunning) {
            String error = state.libvirt.startAtBoot(uuid, state.hugepages.freeDefaultKib());
            if (error != null) {
                failed.add(error);
            }
        }
        return failed;
    }

    private static long lastValue(String text, long previous) {
        long value = previous;
        Matcher m = SYSCTL.matcher(text);
        while (m.find()) {
            value = Long.parseLong(m.group(1));
        }
        return value;
    }

    private static void udev(HostState state, String rules) {
        Matcher rule = QUEUE_RULE.matcher(rules);
        while (rule.find()) {
            String wwid = rule.group(1);
            String kernel = rule.group(2);
            Matcher attribute = ATTRIBUTE.matcher(rule.group(3));
            while (attribute.find()) {
                // udev writes each attribute in order as the kernel takes it: what it refuses (EINVAL) udev only logs.
                String name = attribute.group(1);
                String value = attribute.group(2);
                state.disks.all().stream().filter(d -> wwid != null ? wwid.equals(d.wwid) : kernel.equals(d.name))
                        .forEach(d -> Disks.set(d, name, value));
            }
        }
        Matcher mode = MODE_RULE.matcher(rules);
        while (mode.find()) {
            String vg = mode.group(1);
            String octal = mode.group(2);
            state.lvm.lvsOf(vg).stream().filter(Lvm.Lv::hasNode).forEach(lv -> lv.mode = octal);
        }
    }
}
