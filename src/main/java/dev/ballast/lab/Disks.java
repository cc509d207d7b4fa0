package dev.ballast.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The block devices of a lab host as /sys/block shows them: scheduler, request queue depth, read-ahead and WWID.
 * A stacked device (device-mapper, md RAID, an NVMe multipath head) has no scheduler of its own: like kernels up to
 * ~6.13 it prints {@code none} without brackets and takes any write without a word, changing nothing; its
 * nr_requests reads 128 and refuses every write (EINVAL), as a bio-based queue does. As in Linux 6.1, switching
 * the scheduler resets nr_requests (none: the hardware queue depth; a scheduler: twice the depth, at most 256), and
 * a deeper queue than allowed (none: the hardware queue depth; a scheduler: 2048) is EINVAL.
 */
final class Disks implements LabFiles {

    private static final Pattern PATH = Pattern.compile(
            "/sys/block/([a-z0-9-]+)/(queue/scheduler|queue/nr_requests|queue/read_ahead_kb|wwid|device/wwid)");
    /** The kernel's BLKDEV_MIN_RQ, BLKDEV_DEFAULT_RQ and MAX_SCHED_RQ. */
    private static final long MIN_RQ = 4;
    private static final long DEFAULT_RQ = 128;
    private static final long MAX_SCHED_RQ = 16 * DEFAULT_RQ;
    static final long READ_AHEAD_KB = 128;

    static final class Disk {
        final String name;
        final List<String> offered;
        volatile String active;
        final String wwid;
        /** What the distribution sets at boot, before any rule of Ballast's: the scheduler the host was found with. */
        final String bootDefault;
        /** Tags the hardware queue offers: an NVMe controller's 1023, a SATA disk's NCQ depth of 32. */
        final long hardwareDepth;
        volatile long nrRequests;
        volatile long readAheadKb = READ_AHEAD_KB;

        Disk(String name, List<String> offered, String active, String wwid) {
            this.name = name;
            this.offered = List.copyOf(offered);
            this.active = active;
            this.wwid = wwid;
            this.bootDefault = active;
            this.hardwareDepth = name.startsWith("nvme") ? 1023 : 32;
            this.nrRequests = active == null ? DEFAULT_RQ : depthFor(active);
        }

        /** What the kernel sets nr_requests to when this scheduler starts on the disk. */
        long depthFor(String scheduler) {
            return scheduler.equals("none") ? hardwareDepth : 2 * Math.min(hardwareDepth, DEFAULT_RQ);
        }

        /** The boot's state: the distribution's scheduler, its queue depth and the default read-ahead. */
        void boot() {
            if (!isStacked()) {
                active = bootDefault;
                nrRequests = depthFor(active);
            }
            readAheadKb = READ_AHEAD_KB;
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
            case "queue/nr_requests" -> disk.nrRequests + "\n";
            case "queue/read_ahead_kb" -> disk.readAheadKb + "\n";
            case "wwid" -> disk.isNvme() && disk.wwid != null ? disk.wwid + "\n" : null;
            default -> disk.isNvme() || disk.wwid == null ? null : disk.wwid + "\n";
        };
    }

    /** The kernel takes the first word; a scheduler it does not offer, or a number out of range, is EINVAL. */
    @Override
    public Exec write(String path, String text) {
        Matcher m = PATH.matcher(path);
        Disk disk = m.matches() ? disks.get(m.group(1)) : null;
        if (disk == null || m.group(2).endsWith("wwid")) {
            throw new LabSurprise("writing " + path + " is not simulated");
        }
        if (faults.undoRuntimeWrites) {
            return disk.isStacked() || accepts(disk, m.group(2), text.strip()) ? Exec.ok(text)
                    : Exec.fail(1, "tee: " + path + ": Invalid argument\n");
        }
        return set(disk, m.group(2), text.strip()) ? Exec.ok(text) : Exec.fail(1, "tee: " + path + ": Invalid argument\n");
    }

    /** Writes a queue attribute as the kernel does (udev at boot too); false for EINVAL. */
    static boolean set(Disk disk, String attribute, String value) {
        if (!accepts(disk, attribute, value)) {
            return false;
        }
        switch (attribute) {
            case "queue/scheduler" -> {
                if (!disk.isStacked() && !value.equals(disk.active)) {
                    disk.active = value;
                    disk.nrRequests = disk.depthFor(value);
                }
            }
            case "queue/nr_requests" -> disk.nrRequests = Math.max(MIN_RQ, Long.parseLong(value));
            default -> disk.readAheadKb = Long.parseLong(value);
        }
        return true;
    }

    private static boolean accepts(Disk disk, String attribute, String value) {
        return switch (attribute) {
            case "queue/scheduler" -> disk.isStacked() || disk.offered.contains(value);
            case "queue/nr_requests" -> !disk.isStacked() && value.matches("[0-9]{1,9}")
                    && Long.parseLong(value) <= (disk.active.equals("none") ? disk.hardwareDepth : MAX_SCHED_RQ);
            default -> value.matches("[0-9]{1,9}");
        };
    }
}
