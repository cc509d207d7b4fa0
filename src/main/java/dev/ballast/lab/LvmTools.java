package dev.ballast.lab;

import java.util.List;
import java.util.Optional;

/**
 * The LVM programs, wipefs, stat, chmod and readlink of a lab host, with the messages and exit codes LVM 2.03 and
 * coreutils print. Every y/n prompt reads end-of-file and so answers no, as on a real host fed no input.
 * The options that would skip those prompts (-y, -f) are surprises: the catalog must never send them.
 */
final class LvmTools {

    private static final int LVM_FAILED = 5;

    private LvmTools() {
    }

    static Exec run(Lvm lvm, String program, List<String> args) {
        return switch (program) {
            case "pvs" -> report(args, List.of("--reportformat", "json", "-o", "pv_name,vg_name"), lvm.pvsReport());
            case "vgs" -> report(args, List.of("--reportformat", "json", "-o", "vg_name,pv_count,lv_count"), lvm.vgsReport());
            case "lvs" -> report(args, List.of("--reportformat", "json", "-o", "lv_name,vg_name,lv_attr,lv_size,pool_lv",
                    "--units", "b", "--nosuffix"), lvm.lvsReport());
            case "wipefs" -> wipefs(lvm, args);
            case "pvcreate" -> pvcreate(lvm, operands(program, args, 1).get(0));
            case "vgcreate" -> vgcreate(lvm, operands(program, args, 2));
            case "lvcreate" -> lvcreate(lvm, args);
            case "lvchange" -> lvchange(lvm, args);
            case "lvremove" -> lvremove(lvm, operands(program, args, 1).get(0));
            case "vgremove" -> vgremove(lvm, operands(program, args, 1).get(0));
            case "pvremove" -> pvremove(lvm, operands(program, args, 1).get(0));
            case "stat" -> stat(lvm, args);
            case "chmod" -> chmod(lvm, args);
            case "readlink" -> readlink(lvm, args);
            default -> throw new LabSurprise("no LVM program " + program);
        };
    }

    private static Exec report(List<String> args, List<String> expected, String json) {
        return LabPrograms.expect(args, expected, () -> Exec.ok(json));
    }

    /** Only the bare operands the catalog sends; any option (-y, -f, --force) is a surprise. */
    private static List<String> operands(String program, List<String> args, int count) {
        if (args.size() != count || args.stream().anyMatch(a -> a.startsWith("-"))) {
            throw new LabSurprise(program + " must get exactly " + count + " operand(s) and no options, got " + args);
        }
        return args;
    }

    private static Exec wipefs(Lvm lvm, List<String> args) {
        if (args.size() != 4 || !args.subList(0, 3).equals(List.of("--noheadings", "--output", "TYPE"))) {
            throw new LabSurprise("wipefs " + args);
        }
        Lvm.Disk disk = lvm.diskAt(args.get(3));
        if (disk == null) {
            return Exec.fail(1, "wipefs: error: " + args.get(3) + ": probing initialization failed: No such file or directory\n");
        }
        return Exec.ok(disk.signatures.stream().map(type -> type + "\n").reduce("", String::concat));
    }

    /** A device-mapper disk may be named /dev/dm-N or /dev/mapper/NAME; pvs lists its PV by the latter. */
    private static Exec pvcreate(Lvm lvm, String device) {
        Lvm.Disk disk = lvm.diskAt(device);
        if (disk == null) {
            return Exec.fail(LVM_FAILED, "  No device found for " + device + ".\n");
        }
        Lvm.Pv existing = lvm.pvs.get(disk.pvName());
        if (existing != null && !existing.vg.isEmpty()) {
            return Exec.fail(LVM_FAILED, "  Can't initialize physical volume \"" + device + "\" of volume group \""
                    + existing.vg + "\" without -ff\n  " + device + ": physical volume not initialized.\n");
        }
        if (disk.signatures.contains("PMBR") || disk.signatures.contains("dos")) {
            return Exec.fail(LVM_FAILED, "  Cannot use " + device + ": device is partitioned\n");
        }
        if (existing == null && !disk.signatures.isEmpty()) {
            String type = disk.signatures.get(0);
            return new Exec(LVM_FAILED, "WARNING: " + type + " signature detected on " + device + " at offset "
                    + (type.equals("ext4") ? "1080" : "0") + ". Wipe it? [y/n]: [n]\n",
                    "  Aborted wiping of " + type + ".\n  1 existing signature left on the device.\n");
        }
        lvm.pvs.put(disk.pvName(), new Lvm.Pv(disk.pvName(), disk.bytes));
        disk.signatures.clear();
        disk.signatures.add("LVM2_member");
        return Exec.ok("  Physical volume \"" + device + "\" successfully created.\n");
    }

    /** Like vgcreate 2.03, initialises a device that is not yet a PV on the way. */
    private static Exec vgcreate(Lvm lvm, List<String> args) {
        String vg = args.get(0);
        String device = args.get(1);
        if (lvm.vgs.contains(vg)) {
            return Exec.fail(LVM_FAILED, "  A volume group called " + vg + " already exists.\n");
        }
        String created = "";
        if (!lvm.pvs.containsKey(lvm.pvName(device))) {
            Exec pv = pvcreate(lvm, device);
            if (pv.exit() != 0) {
                return pv;
            }
            created = pv.stdout();
        }
        Lvm.Pv pv = lvm.pvs.get(lvm.pvName(device));
        if (!pv.vg.isEmpty()) {
            return Exec.fail(LVM_FAILED, "  Physical volume '" + device + "' is already in volume group '" + pv.vg
                    + "'\n  Unable to add physical volume '" + device + "' to volume group '" + vg + "'\n  " + device
                    + ": physical volume not initialized.\n");
        }
        pv.vg = vg;
        lvm.vgs.add(vg);
        return Exec.ok(created + "  Volume group \"" + vg + "\" successfully created\n");
    }

    private static Exec lvcreate(Lvm lvm, List<String> args) {
        if (args.size() != 5 || !args.get(0).equals("-L") || !args.get(1).matches("[1-9][0-9]{0,6}[MGT]")
                || !args.get(2).equals("--thinpool") || args.get(3).startsWith("-") || args.get(4).startsWith("-")) {
            throw new LabSurprise("lvcreate " + args);
        }
        String pool = args.get(3);
        String vg = args.get(4);
        if (!lvm.vgs.contains(vg)) {
            return notFound(vg);
        }
        if (lvm.find(vg, pool).isPresent()) {
            return Exec.fail(LVM_FAILED, "  Logical Volume \"" + pool + "\" already exists in volume group \"" + vg + "\"\n");
        }
        long bytes = bytes(args.get(1));
        Lvm.Lv lv = new Lvm.Lv(vg, pool, "twi-a-tz--", bytes, "");
        long free = lvm.freeExtents(vg);
        if (lv.extents() > free) {
            return Exec.fail(LVM_FAILED, "  Volume group \"" + vg + "\" has insufficient free space (" + free
                    + " extents): " + lv.extents() + " required.\n");
        }
        lvm.lvs.add(lv);
        return Exec.ok("  Thin pool volume with chunk size 64.00 KiB can address at most 15.81 TiB of data.\n"
                + "  Logical volume \"" + pool + "\" created.\n");
    }

    private static Exec lvchange(Lvm lvm, List<String> args) {
        if (args.size() != 2 || !args.get(0).equals("-an")) {
            throw new LabSurprise("lvchange " + args);
        }
        Optional<Lvm.Lv> found = volume(lvm, args.get(1));
        if (found.isEmpty()) {
            return Exec.fail(LVM_FAILED, "  Failed to find logical volume \"" + args.get(1) + "\"\n");
        }
        Lvm.Lv lv = found.get();
        if (lvm.lvsOf(lv.vg).stream().anyMatch(thin -> thin.pool.equals(lv.name) && thin.active())) {
            return Exec.fail(LVM_FAILED, "  Logical volume " + args.get(1) + " is used by another device.\n");
        }
        lv.attr = lv.attr.substring(0, 4) + "--" + lv.attr.substring(6);
        return Exec.ok("");
    }

    private static Exec lvremove(Lvm lvm, String path) {
        Optional<Lvm.Lv> found = volume(lvm, path);
        if (found.isEmpty()) {
            return Exec.fail(LVM_FAILED, "  Failed to find logical volume \"" + path + "\"\n");
        }
        Lvm.Lv lv = found.get();
        long dependent = lvm.lvsOf(lv.vg).stream().filter(thin -> thin.pool.equals(lv.name)).count();
        if (dependent > 0) {
            return new Exec(LVM_FAILED, "Removing pool \"" + lv.name + "\" will remove " + dependent
                    + " dependent volume(s). Proceed? [y/n]: [n]\n", "  Logical volume \"" + lv.name + "\" not removed.\n");
        }
        if (lv.active()) {
            return new Exec(LVM_FAILED, "Do you really want to remove active logical volume " + path + "? [y/n]: [n]\n",
                    "  Logical volume " + path + " not removed.\n");
        }
        lvm.lvs.remove(lv);
        return Exec.ok("  Logical volume \"" + lv.name + "\" successfully removed.\n");
    }

    private static Exec vgremove(Lvm lvm, String vg) {
        if (!lvm.vgs.contains(vg)) {
            return notFound(vg);
        }
        int volumes = lvm.lvsOf(vg).size();
        if (volumes > 0) {
            return new Exec(LVM_FAILED, "Do you really want to remove volume group \"" + vg + "\" containing " + volumes
                    + " logical volumes? [y/n]: [n]\n", "  Volume group \"" + vg + "\" not removed\n");
        }
        lvm.pvsOf(vg).forEach(pv -> pv.vg = "");
        lvm.vgs.remove(vg);
        return Exec.ok("  Volume group \"" + vg + "\" successfully removed\n");
    }

    private static Exec pvremove(Lvm lvm, String device) {
        Lvm.Pv pv = lvm.pvs.get(lvm.pvName(device));
        if (pv == null) {
            return Exec.fail(LVM_FAILED, "  No PV found on device " + device + ".\n");
        }
        if (!pv.vg.isEmpty()) {
            return Exec.fail(LVM_FAILED, "  PV " + device + " is used by VG " + pv.vg + " so please use vgreduce first.\n"
                    + "  (If you are certain you need pvremove, then confirm by using --force twice.)\n");
        }
        lvm.pvs.remove(pv.name);
        lvm.diskAt(device).signatures.clear();
        return Exec.ok("  Labels on physical volume \"" + device + "\" successfully wiped.\n");
    }

    private static Exec stat(Lvm lvm, List<String> args) {
        if (args.size() != 5 || !args.subList(0, 4).equals(List.of("-L", "-c", "%a %U:%G", "--"))) {
            throw new LabSurprise("stat " + args);
        }
        return lvm.node(devPath(args.get(4))).map(lv -> Exec.ok(lv.mode + " " + lv.owner + "\n"))
                .orElseGet(() -> Exec.fail(1, "stat: cannot statx '" + args.get(4) + "': No such file or directory\n"));
    }

    /** chmod follows the /dev/VG/LV link and changes the node it points to, as coreutils does. */
    private static Exec chmod(Lvm lvm, List<String> args) {
        if (args.size() != 3 || !args.get(0).matches("[0-7]{3,4}") || !args.get(1).equals("--")) {
            throw new LabSurprise("chmod " + args);
        }
        Optional<Lvm.Lv> lv = lvm.node(devPath(args.get(2)));
        if (lv.isEmpty()) {
            return Exec.fail(1, "chmod: cannot access '" + args.get(2) + "': No such file or directory\n");
        }
        lv.get().mode = Integer.toOctalString(Integer.parseInt(args.get(0), 8));
        return Exec.ok("");
    }

    /**
     * {@code readlink -f -- PATH...} as GNU readlink answers: one canonical path a line, in the order asked;
     * a path it cannot resolve prints nothing (it is quiet by default) and makes the exit status 1.
     */
    private static Exec readlink(Lvm lvm, List<String> args) {
        if (args.size() < 3 || !args.subList(0, 2).equals(List.of("-f", "--"))
                || !args.stream().skip(2).allMatch(path -> path.matches("/dev(/[A-Za-z0-9_.+:@-]+)+"))) {
            throw new LabSurprise("readlink " + args);
        }
        StringBuilder out = new StringBuilder();
        int exit = 0;
        for (String path : args.subList(2, args.size())) {
            String canonical = lvm.canonical(path);
            if (canonical == null) {
                exit = 1;
            } else {
                out.append(canonical).append('\n');
            }
        }
        return new Exec(exit, out.toString(), "");
    }

    private static String devPath(String path) {
        if (!path.matches("/dev/[A-Za-z0-9_.+-]+/[A-Za-z0-9_.+-]+")) {
            throw new LabSurprise("no step should stat or chmod " + path);
        }
        return path;
    }

    private static Optional<Lvm.Lv> volume(Lvm lvm, String path) {
        String[] parts = path.split("/");
        if (parts.length != 2) {
            throw new LabSurprise("not a VG/LV path: " + path);
        }
        return lvm.find(parts[0], parts[1]);
    }

    private static Exec notFound(String vg) {
        return Exec.fail(LVM_FAILED, "  Volume group \"" + vg + "\" not found\n  Cannot process volume group " + vg + "\n");
    }

    private static long bytes(String size) {
        long number = Long.parseLong(size.substring(0, size.length() - 1));
        return switch (size.charAt(size.length() - 1)) {
            case 'M' -> number << 20;
            case 'G' -> number << 30;
            default -> number << 40;
        };
    }
}
