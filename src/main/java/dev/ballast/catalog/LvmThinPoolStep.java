package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ballast.remote.Command;
import dev.ballast.remote.RemoteArg;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Creates an LVM thin pool for VM disks on one whole disk: the physical volume, the volume group and
 * the pool, each only when missing. The facts record which of the three existed, so rollback removes
 * only what Ballast created, and only while the pool is still empty. It must never initialise a disk
 * that holds data: pvcreate runs without -y or -f and reads end-of-file, so any wipe prompt answers no.
 * Devices are compared as nodes: pvs names a PV on dm-3 /dev/mapper/mpatha, and only readlink says they
 * are one disk (see {@link DeviceNodes}).
 */
final class LvmThinPoolStep extends TuningStep<LvmThinPoolStep.Params> {

    /** What pvs shows for a device that is a physical volume of no volume group. */
    static final String ORPHAN = "(no volume group)";
    static final String NONE = "none";

    record Params(BlockDevice device, VolumeGroup vg, LogicalVolume pool, Size size) {
        String devicePath() {
            return device.node().path();
        }
    }

    @Override
    public String id() {
        return "lvm-thin-pool";
    }

    @Override
    public String description() {
        return "Create an LVM thin pool for VM disks on a blank disk (PV, VG and pool as needed); refuses disks "
                + "that hold signatures or belong to other volume groups, and rolls back only while the pool is empty";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(BlockDevice.parameter("whole disk for the volume group, such as nvme1n1"),
                VolumeGroup.parameter("volume group to create or use, such as vg_storage"),
                ParameterSpec.required("pool", "logical-volume", "thin pool name, such as tp_virt_data",
                        "[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}"),
                ParameterSpec.required("size", "size", "pool size, such as 500G", "[1-9][0-9]{0,6}[MGT]"));
    }

    @Override
    public Effect effect() {
        return Effect.IMMEDIATE;
    }

    @Override
    public boolean survivesReboot() {
        return true;
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("device", BlockDevice::new), params.required("vg", VolumeGroup::new),
                params.required("pool", LogicalVolume::new), params.required("size", Size::new));
    }

    /**
     * Facts: the disk's signatures, the volume group its PV belongs to, the devices of the wanted group,
     * and the pool's attributes, size and thin volumes. Refuses, before anything is captured, a disk or
     * group that is not Ballast's to change.
     */
    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        List<String> signatures = signatures(shell, p.device());
        LvmReport lvm = LvmReport.read(shell);
        refuseUnsafe(lvm, signatures, p);
        Optional<LvmReport.Lv> pool = lvm.lv(p.vg(), p.pool());
        return StepState.builder()
                .put("signatures", signatures.isEmpty() ? NONE : String.join(",", signatures))
                .put("pv", lvm.pv(p.devicePath()).map(pv -> pv.vg().isEmpty() ? ORPHAN : pv.vg()).orElse(null))
                .put("vg", lvm.vg(p.vg()).map(vg -> String.join(",", lvm.devicesOf(p.vg()))).orElse(null))
                .put("pool", pool.map(LvmReport.Lv::attr).orElse(null))
                .put("pool_size", pool.map(LvmReport.Lv::sizeBytes).orElse(null))
                .put("thin_volumes", pool.map(lv -> joinedOrNone(lvm.thinVolumesIn(p.vg(), p.pool()))).orElse(null))
                .build();
    }

    /** The signature types wipefs finds (it only lists without -a); an empty list is a blank disk. */
    private static List<String> signatures(RemoteShell shell, BlockDevice device) throws RemoteFailure, StepRefusal {
        CommandResult result = shell.run(Command.of("wipefs", "--noheadings", "--output", "TYPE").arg(device.node()));
        if (!result.succeeded()) {
            if (result.stderr().contains("No such file or directory")) {
                throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the host has no block device " + device.name());
            }
            throw RemoteFailure.commandFailed(result);
        }
        return result.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static void refuseUnsafe(LvmReport lvm, List<String> signatures, Params p) throws StepRefusal {
        Optional<LvmReport.Pv> pv = lvm.pv(p.devicePath());
        if (pv.isPresent() && !pv.get().vg().isEmpty() && !pv.get().vg().equals(p.vg().name())) {
            throw unsafe(p.devicePath() + " is a physical volume of volume group " + pv.get().vg()
                    + "; Ballast does not take disks from another volume group");
        }
        Optional<LvmReport.Vg> vg = lvm.vg(p.vg());
        if (vg.isPresent() && vg.get().pvCount() > 1) {
            throw unsafe("volume group " + p.vg().name() + " spans " + vg.get().pvCount() + " physical volumes ("
                    + String.join(", ", lvm.devicesOf(p.vg())) + "); Ballast only manages a group that lives on "
                    + "the one disk it was given");
        }
        if (vg.isPresent() && !lvm.devicesOf(p.vg()).equals(List.of(p.devicePath()))) {
            throw unsafe("volume group " + p.vg().name() + " lives on " + String.join(", ", lvm.devicesOf(p.vg()))
                    + ", not on " + p.devicePath() + "; Ballast does not move or extend an existing group");
        }
        if (pv.isEmpty() && !signatures.isEmpty()) {
            throw unsafe(p.devicePath() + " holds signatures (" + String.join(", ", signatures)
                    + "); pvcreate would destroy them, so Ballast only initialises blank disks");
        }
        Optional<LvmReport.Lv> pool = lvm.lv(p.vg(), p.pool());
        if (pool.isPresent() && !pool.get().isThinPool()) {
            throw unsafe(p.vg().name() + "/" + p.pool().name() + " exists and is not a thin pool (attributes "
                    + pool.get().attr() + ")");
        }
    }

    @Override
    public List<Drift> drift(StepState current, Params p) {
        List<Drift> drift = new ArrayList<>();
        if (!p.vg().name().equals(current.get("pv"))) {
            drift.add(new Drift("pv", p.vg().name(), current.get("pv")));
        }
        if (!p.devicePath().equals(current.get("vg"))) {
            drift.add(new Drift("vg", p.devicePath(), current.get("vg")));
        }
        if (!current.get("pool").startsWith("t")) {
            drift.add(new Drift("pool", "a thin pool (attributes t...)", current.get("pool")));
        }
        return drift;
    }

    /** Probes again so the guards judge what is there now, then creates only what is missing. */
    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        if (now.absent("pv")) {
            lvm(shell, Command.of("pvcreate").arg(p.device().node()));
        }
        if (now.absent("vg")) {
            lvm(shell, Command.of("vgcreate").arg(p.vg()).arg(p.device().node()));
        }
        if (now.absent("pool")) {
            lvm(shell, Command.of("lvcreate", "-L").arg(p.size()).literal("--thinpool").arg(p.pool()).arg(p.vg()));
        }
    }

    /** Applied when the pool is a thin pool; in effect when it is active (attributes like twi-a-tz--). */
    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        String attr = now.get("pool");
        boolean applied = attr.startsWith("t");
        boolean inEffect = applied && attr.length() > 4 && attr.charAt(4) == 'a';
        String name = p.vg().name() + "/" + p.pool().name();
        return new Verification(now, applied, inEffect, drift(now, p), !applied ? name + " is not a thin pool"
                : inEffect ? name + " is an active thin pool (" + attr + ")" : name + " exists but is not active (" + attr + ")");
    }

    /**
     * Removes, newest first, what the captured state lacked: the pool while no thin volume lives in it,
     * the group while it holds no volume, the PV. The pool is deactivated and removed without -y, so
     * if a thin volume appears between the check and the removal, lvremove's prompt reads end-of-file
     * and keeps it: with -y it would remove the pool's dependent volumes too.
     */
    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure, StepRefusal {
        LvmReport lvm = LvmReport.read(shell);
        List<String> remaining = new ArrayList<>(lvm.volumesOf(p.vg()).stream().map(LvmReport.Lv::name).toList());
        if (captured.absent("pool") && lvm.lv(p.vg(), p.pool()).isPresent()) {
            List<String> thin = lvm.thinVolumesIn(p.vg(), p.pool());
            if (!thin.isEmpty()) {
                throw new StepRefusal(StepRefusal.Kind.IRREVERSIBLE, "thin pool " + p.vg().name() + "/" + p.pool().name()
                        + " now holds thin volume(s) " + String.join(", ", thin)
                        + "; removing the pool would destroy their data, so it stays");
            }
            RemoteArg pool = p.pool().in(p.vg());
            lvm(shell, Command.of("lvchange", "-an").arg(pool));
            lvm(shell, Command.of("lvremove").arg(pool));
            remaining.remove(p.pool().name());
        }
        if (captured.absent("vg") && lvm.vg(p.vg()).isPresent()) {
            if (!remaining.isEmpty()) {
                throw new StepRefusal(StepRefusal.Kind.IRREVERSIBLE, "volume group " + p.vg().name()
                        + " now holds logical volume(s) " + String.join(", ", remaining) + " that Ballast did not create"
                        + "; it stays, with its physical volume");
            }
            lvm(shell, Command.of("vgremove").arg(p.vg()));
        }
        if (captured.absent("pv") && lvm.pv(p.devicePath()).isPresent()) {
            lvm(shell, Command.of("pvremove").arg(p.device().node()));
        }
    }

    /** LVM commands read end-of-file, so any y/n prompt LVM asks is answered no. */
    private static void lvm(RemoteShell shell, Command command) throws RemoteFailure {
        shell.check(command.stdin(""));
    }

    private static StepRefusal unsafe(String reason) {
        return new StepRefusal(StepRefusal.Kind.UNSAFE, reason);
    }

    private static String joinedOrNone(List<String> names) {
        return names.isEmpty() ? NONE : String.join(",", names);
    }
}
