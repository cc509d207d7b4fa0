package dev.ballast.catalog;

import java.util.List;
import java.util.Map;

import dev.ballast.remote.Command;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The udev rules that keep a block device's queue attributes across reboots: one file of Ballast's own per step
 * and device, matching the disk by WWID (kernel names can move between boots) or, for a disk without one, by its
 * kernel name, which is the best there is. udev writes each {@code ATTR{...}} at the disk's add event at boot.
 */
final class UdevRules {

    private UdevRules() {
    }

    /** The file of a step's rule for a device, such as {@code /etc/udev/rules.d/99-ballast-scheduler-nvme0n1.rules}. */
    static RemotePath path(String kind, BlockDevice device) {
        return RemotePath.of("/etc/udev/rules.d/99-ballast-" + kind + "-" + device.name() + ".rules");
    }

    /** Where a disk's WWID is: NVMe namespaces carry it themselves, SCSI disks on their device. Read with the rest. */
    static List<RemotePath> wwidFiles(BlockDevice device) {
        return List.of(device.sysfs("wwid"), device.sysfs("device/wwid"));
    }

    /** The WWID among files read with {@link #wwidFiles}, or null when the disk has none. */
    static String wwid(Map<RemotePath, String> files, BlockDevice device) {
        String own = files.get(device.sysfs("wwid"));
        String wwid = own != null ? own : files.get(device.sysfs("device/wwid"));
        return wwid == null ? null : wwid.strip();
    }

    /** The rule text for these attributes (name to value, in order), matching the {@code wwid} fact of a probe. */
    static String text(String step, BlockDevice device, StepState current, Map<String, String> attributes) {
        String match = current.absent("wwid") ? "KERNEL==\"" + device.name() + "\"" : "ATTRS{wwid}==\"" + current.get("wwid") + "\"";
        StringBuilder rule = new StringBuilder("# Written by Ballast (step " + step + "); removed by its rollback.\n"
                + "ACTION==\"add|change\", SUBSYSTEM==\"block\", " + match);
        attributes.forEach((name, value) -> rule.append(", ATTR{").append(name).append("}=\"").append(value).append('"'));
        return rule.append('\n').toString();
    }

    /** udev reads rule files when it starts and when told: without this, an add event before the next boot uses the old ones. */
    static void reload(RemoteShell shell) throws RemoteFailure {
        shell.check(Command.of("udevadm", "control", "--reload-rules"));
    }
}
