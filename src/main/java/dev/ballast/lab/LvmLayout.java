package dev.ballast.lab;

/**
 * The LVM, SELinux and AppArmor state a lab host starts with, deterministic by index. Every host boots from vg_os
 * on a partition of sda (root and swap are dm-0 and dm-1) and has a blank nvme1n1. Then, by index modulo 3:
 * (1) nvme0n1 blank, a leftover ext4 disk sdb, and a multipath SAN LUN (dm-2, which pvs names
 * /dev/mapper/mpatha) that the storage team made a physical volume of no group; (2) vg_storage already on nvme0n1 with linear VM disks and no pool, sdb ext4;
 * (0) vg_data spanning nvme0n1 and sdb with a thin pool in use. SELinux is enforcing on most hosts,
 * permissive on some, disabled on a few, and not installed on every fourth (a Debian-like host), which runs
 * AppArmor instead (hosts 4, 8, 16, 20...; 12, 24... boot with AppArmor disabled), with the local libvirt-qemu
 * abstraction as Debian ships it.
 */
final class LvmLayout {

    private static final long GIB = 1L << 30;
    private static final long NVME_BYTES = 1920383410176L;
    private static final long SDB_BYTES = 960197124096L;
    private static final long LUN_BYTES = 2199023255552L;

    private LvmLayout() {
    }

    static void typical(HostState state, int index) {
        Lvm lvm = state.lvm;
        lvm.disk("sda", 480103981056L, "gpt", "gpt", "PMBR");
        lvm.pv("/dev/sda3", 478056890368L, "vg_os");
        lvm.lv("vg_os", "root", "-wi-ao----", 50 * GIB, "");
        lvm.lv("vg_os", "swap", "-wi-ao----", 8 * GIB, "");
        lvm.disk("nvme1n1", NVME_BYTES);
        switch (index % 3) {
            case 1 -> {
                lvm.disk("nvme0n1", NVME_BYTES);
                lvm.disk("sdb", SDB_BYTES, "ext4");
                lvm.pv(lvm.mapperDisk("mpatha", LUN_BYTES, "LVM2_member").pvName(), LUN_BYTES, "");
            }
            case 2 -> {
                lvm.disk("nvme0n1", NVME_BYTES, "LVM2_member");
                lvm.pv("/dev/nvme0n1", NVME_BYTES, "vg_storage");
                lvm.lv("vg_storage", "vm-web01", "-wi-ao----", 100 * GIB, "");
                lvm.lv("vg_storage", "vm-db01", "-wi-a-----", 200 * GIB, "").mode = "640";
                lvm.lv("vg_storage", "iso-archive", "-wi-------", 50 * GIB, "");
                lvm.disk("sdb", SDB_BYTES, "ext4");
            }
            default -> {
                lvm.disk("nvme0n1", NVME_BYTES, "LVM2_member");
                lvm.disk("sdb", SDB_BYTES, "LVM2_member");
                lvm.pv("/dev/nvme0n1", NVME_BYTES, "vg_data");
                lvm.pv("/dev/sdb", SDB_BYTES, "vg_data");
                lvm.lv("vg_data", "tp_data", "twi-aotz--", 1024 * GIB, "");
                lvm.lv("vg_data", "vm-app01", "Vwi-aotz--", 300 * GIB, "tp_data").owner = "libvirt-qemu:kvm";
            }
        }
        state.selinux.mode = index % 4 == 0 ? null : index % 8 == 7 ? "Disabled" : index % 4 == 3 ? "Permissive" : "Enforcing";
        if (state.selinux.mode == null) {
            // Debian-like hosts confine QEMU with AppArmor; one in twelve boots with apparmor=0.
            state.apparmor.enabled = index % 12 != 0;
            state.etc.putByHand(AppArmor.LOCAL, AppArmor.SHIPPED_LOCAL);
        }
        if (state.selinux.mode != null) {
            state.selinux.local.put("/srv/images(/.*)?", "virt_image_t");
        }
        if (index % 4 == 2) {
            state.selinux.local.put("/dev/vg_storage(/.*)?", "fixed_disk_device_t");
        }
    }
}
