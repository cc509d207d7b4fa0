package dev.ballast.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Lets QEMU open the raw logical volumes of one volume group on a host where AppArmor confines it. The
 * per-guest profiles virt-aa-helper writes cover what a guest's XML names; a volume QEMU reaches otherwise
 * is denied ("Permission denied" at start). The grant goes into the site's local abstraction, which every
 * guest's profile includes, as a block of Ballast's own between two marker lines: the group's
 * {@code /dev/VG/*} links and the {@code /dev/dm-N} nodes behind them (AppArmor judges the resolved node),
 * read and write, never {@code /dev/**}. The price, named in the block: every QEMU process on the host may
 * then open every volume of that group, another guest's disks included. The rest of the file is the
 * administrator's and is kept byte for byte; rollback puts back the whole file as it was.
 */
final class AppArmorRawDiskStep extends TuningStep<AppArmorRawDiskStep.Params> {

    record Params(VolumeGroup vg) {
        String begin() {
            return "# Ballast apparmor-raw-disk " + vg.name() + " begin: every QEMU process on this host may open every "
                    + "logical volume of " + vg.name() + "\n";
        }

        String end() {
            return "# Ballast apparmor-raw-disk " + vg.name() + " end\n";
        }
    }

    @Override
    public String id() {
        return "apparmor-raw-disk";
    }

    @Override
    public String description() {
        return "Lets QEMU open a volume group's raw logical volumes where AppArmor confines it: /dev/VG/* and the dm nodes "
                + "behind them, rw, in /etc/apparmor.d/local/abstractions/libvirt-qemu, and reloads the running guests' "
                + "profiles; every QEMU process on the host may then open every volume of the group (not applicable where "
                + "AppArmor is absent or disabled)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(VolumeGroup.VM_DISKS);
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
        return new Params(params.required("vg", VolumeGroup::new));
    }

    /** Facts: {@code local}, the file's text (absent when there is none), and {@code nodes}, the group's dm nodes. */
    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        AppArmor.Status status = AppArmor.require(shell);
        return probe(shell, p, status);
    }

    StepState probe(RemoteShell shell, Params p, AppArmor.Status status) throws RemoteFailure, StepRefusal {
        if (LvmReport.vgs(shell).stream().noneMatch(vg -> vg.name().equals(p.vg().name()))) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the host has no volume group " + p.vg().name());
        }
        if (status.local() != null && status.local().contains(p.begin()) != status.local().contains(p.end())) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, AppArmor.LOCAL + " holds only one of Ballast's marker lines for "
                    + p.vg().name() + ": someone edited the block by hand; mend it before Ballast rewrites it");
        }
        String nodes = DeviceNodes.resolve(shell, LvmReport.nodeLinks(shell, p.vg())).values().stream().map(RemotePath::path)
                .distinct().sorted(Comparator.comparingInt((String node) -> node.length()).thenComparing(node -> node))
                .collect(Collectors.joining(" "));
        return StepState.builder().put("local", status.local()).put("nodes", nodes).build();
    }

    @Override
    public List<Drift> drift(StepState current, Params p) {
        String wanted = wanted(current, p);
        return Objects.equals(wanted, current.facts().get("local")) ? List.of()
                : List.of(new Drift("local", wanted, current.get("local")));
    }

    /** The file with Ballast's block for the group put in place of the old one, or appended. */
    private static String wanted(StepState current, Params p) {
        StringBuilder block = new StringBuilder(p.begin()).append("/dev/").append(p.vg().name()).append("/* rw,\n");
        for (String node : current.get("nodes").split(" ")) {
            if (!node.isEmpty()) {
                block.append(node).append(" rw,\n");
            }
        }
        block.append(p.end());
        String local = current.absent("local") ? "" : current.get("local");
        int begin = local.indexOf(p.begin());
        if (begin >= 0) {
            int end = local.indexOf(p.end(), begin) + p.end().length();
            return local.substring(0, begin) + block + local.substring(end);
        }
        return local + (local.isEmpty() || local.endsWith("\n") ? "" : "\n") + block;
    }

    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        AppArmor.Status status = AppArmor.require(shell);
        HostFiles.write(shell, AppArmor.LOCAL, wanted(probe(shell, p, status), p));
        AppArmor.reload(shell, status.guests());
    }

    /** Applied is the file; in effect too, since apply reloaded every running guest's profile and new ones read the file. */
    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        return verified(probe(shell, p), p);
    }

    Verification verified(StepState now, Params p) {
        List<Drift> drift = drift(now, p);
        String nodes = now.get("nodes").isEmpty() ? "no active volume yet" : now.get("nodes");
        return new Verification(now, drift.isEmpty(), drift.isEmpty(), drift, drift.isEmpty()
                ? "QEMU may open /dev/" + p.vg().name() + "/* and " + nodes + " (every guest on the host may)"
                : AppArmor.LOCAL + " does not grant " + p.vg().name() + " as wanted");
    }

    /** Someone edited the file since Ballast wrote it: restoring the captured bytes would drop their edit. */
    @Override
    protected void guardRollback(RemoteShell shell, Params p, RestorePoint point) throws RemoteFailure, StepRefusal {
        if (point.applied() == null) {
            return;
        }
        String now = HostFiles.read(shell, AppArmor.LOCAL);
        String left = point.applied().absent("local") ? null : point.applied().facts().get("local");
        if (!Objects.equals(now, left)) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, AppArmor.LOCAL + " changed since Ballast wrote it; restoring "
                    + "what was there before would drop that change (force the rollback to restore it anyway)");
        }
    }

    /** Puts the file back byte for byte (or removes it) and reloads the running guests' profiles. */
    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure, StepRefusal {
        AppArmor.Status status = AppArmor.require(shell);
        HostFiles.restore(shell, AppArmor.LOCAL, captured.absent("local") ? null : captured.get("local"));
        AppArmor.reload(shell, status.guests());
    }
}
