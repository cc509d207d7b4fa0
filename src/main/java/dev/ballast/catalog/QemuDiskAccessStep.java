package dev.ballast.catalog;

import java.util.List;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Lets QEMU open a volume group's raw volumes whatever mandatory access control the host runs, so one plan
 * serves a fleet of Debian and RHEL hosts: a refusal fails the host, and {@code apparmor-raw-disk} refuses
 * every SELinux host as {@code selinux-context} refuses every AppArmor one. The host's confinement is probed
 * (fact {@code mac}) and the work handed to the step that owns it. Where AppArmor confines QEMU that is
 * {@link AppArmorRawDiskStep}'s grant. Where SELinux does, {@link SelinuxContextStep}'s finding stands: the
 * disks are dm nodes that sVirt labels for each guest when it starts, and a rule of Ballast's would fight
 * it, so there is nothing to change and the host is compliant as it is. Where neither confines QEMU nothing
 * stands between it and its disks. It must never change a host's SELinux labels.
 */
final class QemuDiskAccessStep extends TuningStep<AppArmorRawDiskStep.Params> {

    private final AppArmorRawDiskStep apparmor = new AppArmorRawDiskStep();

    @Override
    public String id() {
        return "qemu-disk-access";
    }

    @Override
    public String description() {
        return "Lets QEMU open a volume group's raw logical volumes on AppArmor and SELinux hosts alike: apparmor-raw-disk's "
                + "grant where AppArmor confines QEMU; nothing where SELinux does (sVirt labels each guest's disks) or "
                + "where neither does";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return apparmor.parameters();
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
    protected AppArmorRawDiskStep.Params parse(Parameters params) {
        return apparmor.parse(params);
    }

    /** Fact {@code mac}: apparmor (with apparmor-raw-disk's facts), selinux (with its mode) or none (with why). */
    @Override
    public StepState probe(RemoteShell shell, AppArmorRawDiskStep.Params p) throws RemoteFailure, StepRefusal {
        AppArmor.Status status;
        try {
            status = AppArmor.require(shell);
        } catch (StepRefusal noAppArmor) {
            return withoutAppArmor(shell, notApplicable(noAppArmor));
        }
        StepState.Builder state = StepState.builder().put("mac", "apparmor");
        apparmor.probe(shell, p, status).facts().forEach(state::put);
        return state.build();
    }

    private static StepState withoutAppArmor(RemoteShell shell, StepRefusal noAppArmor) throws RemoteFailure, StepRefusal {
        try {
            return StepState.builder().put("mac", "selinux").put("selinux", SelinuxContextStep.requireSelinux(shell)).build();
        } catch (StepRefusal noSelinux) {
            return StepState.builder().put("mac", "none").put("why", noAppArmor.getMessage() + "; "
                    + notApplicable(noSelinux).getMessage()).build();
        }
    }

    /** A refusal that says the access control is not there; any other (unsafe, irreversible) stands. */
    private static StepRefusal notApplicable(StepRefusal refusal) throws StepRefusal {
        if (refusal.kind() != StepRefusal.Kind.NOT_APPLICABLE) {
            throw refusal;
        }
        return refusal;
    }

    @Override
    public List<Drift> drift(StepState current, AppArmorRawDiskStep.Params p) {
        return isAppArmor(current) ? apparmor.drift(current, p) : List.of();
    }

    /** Only an AppArmor host drifts, so only one is ever applied to; a host whose confinement changed since is refused. */
    @Override
    public void apply(RemoteShell shell, AppArmorRawDiskStep.Params p, StepState before) throws RemoteFailure, StepRefusal {
        if (!isAppArmor(before)) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, "the host's access control is " + before.get("mac") + ", not AppArmor");
        }
        apparmor.apply(shell, p, before);
    }

    @Override
    public Verification verify(RemoteShell shell, AppArmorRawDiskStep.Params p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        if (isAppArmor(now)) {
            return apparmor.verified(now, p);
        }
        return new Verification(now, true, true, List.of(), now.get("mac").equals("selinux")
                ? "SELinux: sVirt labels each guest's disks when it starts; nothing to change"
                : "no mandatory access control confines QEMU; nothing to change");
    }

    @Override
    protected void guardRollback(RemoteShell shell, AppArmorRawDiskStep.Params p, RestorePoint point)
            throws RemoteFailure, StepRefusal {
        if (isAppArmor(point.captured())) {
            apparmor.guardRollback(shell, p, point);
        }
    }

    /** Restores what apparmor-raw-disk changed; a host captured as SELinux or unconfined had nothing changed. */
    @Override
    public void rollback(RemoteShell shell, AppArmorRawDiskStep.Params p, StepState captured) throws RemoteFailure, StepRefusal {
        if (isAppArmor(captured)) {
            apparmor.rollback(shell, p, captured);
        }
    }

    private static boolean isAppArmor(StepState state) {
        return "apparmor".equals(state.facts().get("mac"));
    }
}
