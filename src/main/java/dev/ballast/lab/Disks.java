package dev.ballast.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The block devices of a lab host as /sys/block shows them: scheduler and WWID. A stacked device
 * (device-mapper, md RAID, an NVMe multipath head) has no scheduler of its own: like kernels up to
 * ~6.13 it prints {@code none} without brackets and takes any write without a word, changing nothing.
 */
final class Disks implements LabFiles {

    private static final Pattern PATH = Pattern.compile("/sys/block/([a-z0-9-]+)/(queue/scheduler|wwid|device/wwid)");

    static final class Disk {
        final String name;
        final List<String> offered;
        volatile String active;
        final String wwid;
        /** What the distribution sets at boot, before any rule of Ballast's: the scheduler the host was found with. */
        final String bootDefault;

        Disk(String name, List<String> offered, String active, String wwid) {
            this.name = name;
            this.offered = List.copyOf(offered);
            this.active = active;
            this.wwid = wwid;
            this.bootDefault = active;
        }

        /** A stacked device: bio-based, so no scheduler runs and none can be chosen. */
        static Disk stacked(String name, String wwid) {
            return new Disk(name, List.of("none"), null, wwid);
        }

        boolean isStacked() {
            return active == null;
        }

        boolean isNvme() {
            return name.startsWith("nvme");
        }
    }

    private final Map<String, Disk> disks = new LinkedHashMap<>();
    private final Faults faults;

    Disks(Faults faults) {
        this.faults = faults;
    }

    void add(Disk disk) {
        disks.put(disk.name, disk);
    }

    Disk get(String name) {
        return disks.get(name);
    }

    List<Disk> all() {
        return new ArrayList<>(disks.values());
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith("/sys/block/");
    }

    @Override
    public String read(String path) {
        Matcher m = PATH.matcher(path);
        Disk disk = m.matches() ? disks.get(m.group(1)) : null;
        if (disk == null) {
            return null;
        }
        return switch (m.group(2)) {
            case "queue/scheduler" -> String.join(" ", disk.offered.stream()
                    .map(s -> s.equals(disk.active) ? "[" + s + "]" : s).toList()) + "\n";
            case "wwid" -> disk.isNvme() && disk.wwid != null ? disk.wwid + "\n" : null;
            default -> disk.isNvme() || disk.wwid == null ? null : disk.wwid + "\n";
        };
    }

    /** The kernel takes the first word; a scheduler it does not offer is EINVAL. */
    @Override
    public Exec write(String path, String text) {
        Matcher m = PATH.matcher(path);
        Disk disk = m.matches() ? disks.get(m.group(1)) : null;
        if (disk == null || !m.group(2).equals("queue/scheduler")) {
            throw new LabSurprise("writing " + path + " is not simulated");
        }
        String wanted = text.strip();
        if (disk.isStacked()) {
            return Exec.ok(text);
        }
        if (!disk.offered.contains(wanted)) {
            return Exec.fail(1, "tee: " + path + ": Invalid argument\n");
        }
        if (!faults.undoRuntimeWrites) {
            disk.active = wanted;
        }
        return Exec.ok(text);
    }
}
