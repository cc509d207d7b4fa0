package dev.ballast.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The LVM state of a lab host: disks with their on-disk signatures (what wipefs lists), physical volumes,
 * volume groups and logical volumes with their /dev nodes' modes. As on a real host, /dev/VG/LV is a
 * symlink to a device-mapper node /dev/dm-N, and a PV on a device-mapper disk (multipath, LUKS) is named
 * /dev/mapper/NAME by pvs, never by its kernel name. Renders pvs, vgs and lvs as LVM 2.03 prints
 * {@code --reportformat json}: one report, every value a string, sorted as LVM sorts by default.
 * The commands that change it are in {@link LvmTools}.
 */
final class Lvm {

    /** LVM's default extent size; VG space is counted in extents, after 1 MiB of PV metadata. */
    static final long EXTENT = 4L << 20;

    static final class Disk {
        final String name;
        final long bytes;
        final List<String> signatures = new ArrayList<>();
        /** The /dev/mapper name of a device-mapper disk (its kernel name is dm-N), else null. */
        final String mapper;

        Disk(String name, long bytes, List<String> signatures, String mapper) {
            this.name = name;
            this.bytes = bytes;
            this.signatures.addAll(signatures);
            this.mapper = mapper;
        }

        /** The name pvs prints for a PV on this disk: LVM prefers /dev/mapper/NAME for device-mapper devices. */
        String pvName() {
            return mapper == null ? "/dev/" + name : "/dev/mapper/" + mapper;
        }
    }

    /** A physical volume; {@code vg} is "" while it belongs to no group, as pvs prints it. */
    static final class Pv {
        final String name;
        final long bytes;
        String vg = "";

        Pv(String name, long bytes) {
            this.name = name;
            this.bytes = bytes;
        }

        long extents() {
            return (bytes - (1L << 20)) / EXTENT;
        }
    }

    static final class Lv {
        final String vg;
        final String name;
        String attr;
        final long bytes;
        final String pool;
        String mode = "660";
        String owner = "root:disk";
        /** The kernel name of the node /dev/VG/LV links to (dm-N), while the volume has one. */
        String dm;

        Lv(String vg, String name, String attr, long bytes, String pool) {
            this.vg = vg;
            this.name = name;
            this.attr = attr;
            this.bytes = bytes;
            this.pool = pool;
        }

        boolean active() {
            return attr.charAt(4) == 'a';
        }

        boolean hasNode() {
            return active() && !thinPool();
        }

        boolean thinPool() {
            return attr.charAt(0) == 't';
        }

        /** Extents taken from the group: a thin volume lives in its pool; a pool also has metadata and a spare. */
        long extents() {
            if (!pool.isEmpty()) {
                return 0;
            }
            return bytes / EXTENT + (thinPool() ? 2 * 32 : 0);
        }

        String node() {
            return "/dev/" + vg + "/" + name;
        }
    }

    final Map<String, Disk> disks = new TreeMap<>();
    final Map<String, Pv> pvs = new TreeMap<>();
    final List<String> vgs = new ArrayList<>();
    final List<Lv> lvs = new ArrayList<>();
    /** Device-mapper minors are handed out in activation order, as the kernel does. */
    private int nextDm;

    void disk(String name, long bytes, String... signatures) {
        disks.put("/dev/" + name, new Disk(name, bytes, List.of(signatures), null));
    }

    /** A device-mapper disk (a multipath LUN, an opened LUKS volume): /dev/mapper/NAME links to /dev/dm-N. */
    Disk mapperDisk(String mapper, long bytes, String... signatures) {
        Disk disk = new Disk("dm-" + nextDm++, bytes, List.of(signatures), mapper);
        disks.put("/dev/" + disk.name, disk);
        return disk;
    }

    /** The disk a device path names, by its kernel name or its /dev/mapper name; null when there is none. */
    Disk diskAt(String path) {
        return disks.containsKey(path) ? disks.get(path)
                : disks.values().stream().filter(d -> path.equals("/dev/mapper/" + d.mapper)).findFirst().orElse(null);
    }

    /** The name pvs prints for a PV on the device at {@code path}. */
    String pvName(String path) {
        Disk disk = diskAt(path);
        return disk == null ? path : disk.pvName();
    }

    void pv(String device, long bytes, String vg) {
        Pv pv = new Pv(device, bytes);
        pv.vg = vg;
        pvs.put(device, pv);
        if (!vg.isEmpty() && !vgs.contains(vg)) {
            vgs.add(vg);
        }
    }

    Lv lv(String vg, String name, String attr, long bytes, String pool) {
        Lv lv = new Lv(vg, name, attr, bytes, pool);
        if (lv.hasNode()) {
            lv.dm = "dm-" + nextDm++;
        }
        lvs.add(lv);
        return lv;
    }

    Optional<Lv> find(String vg, String name) {
        return lvs.stream().filter(lv -> lv.vg.equals(vg) && lv.name.equals(name)).findFirst();
    }

    /** The volume whose /dev/VG/LV link is {@code path}: only active volumes that are not pools have one. */
    Optional<Lv> node(String path) {
        return lvs.stream().filter(lv -> lv.hasNode() && lv.node().equals(path)).findFirst();
    }

    /**
     * What {@code readlink -f} prints for a /dev path: the dm-N node of a /dev/VG/LV or /dev/mapper link, the
     * path itself for another node; a missing path is printed as it is when its directory exists, else null.
     */
    String canonical(String path) {
        Optional<Lv> lv = node(path);
        if (lv.isPresent()) {
            return "/dev/" + lv.get().dm;
        }
        Disk disk = diskAt(path);
        if (disk != null) {
            return "/dev/" + disk.name;
        }
        String directory = path.substring(0, path.lastIndexOf('/'));
        boolean exists = directory.equals("/dev") || directory.equals("/dev/mapper")
                || lvs.stream().anyMatch(v -> v.hasNode() && directory.equals("/dev/" + v.vg));
        return exists ? path : null;
    }

    List<Pv> pvsOf(String vg) {
        return pvs.values().stream().filter(pv -> pv.vg.equals(vg)).toList();
    }

    List<Lv> lvsOf(String vg) {
        return lvs.stream().filter(lv -> lv.vg.equals(vg)).toList();
    }

    long freeExtents(String vg) {
        return pvsOf(vg).stream().mapToLong(Pv::extents).sum() - lvsOf(vg).stream().mapToLong(Lv::extents).sum();
    }

    String pvsReport() {
        return report("pv", new ArrayList<>(pvs.values()), pv -> new String[] {"pv_name", pv.name, "vg_name", pv.vg});
    }

    String vgsReport() {
        return report("vg", vgs.stream().sorted().toList(), vg -> new String[] {"vg_name", vg,
                "pv_count", Integer.toString(pvsOf(vg).size()), "lv_count", Integer.toString(lvsOf(vg).size())});
    }

    String lvsReport() {
        List<Lv> sorted = lvs.stream().sorted(Comparator.comparing((Lv lv) -> lv.vg).thenComparing(lv -> lv.name)).toList();
        return report("lv", sorted, lv -> new String[] {"lv_name", lv.name, "vg_name", lv.vg, "lv_attr", lv.attr,
                "lv_size", Long.toString(lv.bytes), "pool_lv", lv.pool});
    }

    /** LVM's JSON layout: two spaces of log indent, four per level, one object per line, {@code "k":"v", } pairs. */
    private static <T> String report(String section, List<T> rows, Function<T, String[]> fields) {
        StringBuilder out = new StringBuilder("  {\n      \"report\": [\n          {\n              \"" + section + "\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            String[] pairs = fields.apply(rows.get(i));
            out.append("                  {");
            for (int f = 0; f < pairs.length; f += 2) {
                out.append(f == 0 ? "" : ", ").append('"').append(pairs[f]).append("\":\"").append(pairs[f + 1]).append('"');
            }
            out.append(i < rows.size() - 1 ? "},\n" : "}\n");
        }
        return out.append("              ]\n          }\n      ]\n  }\n").toString();
    }
}
