package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.RemoteArg;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Makes the device nodes of a volume group's logical volumes readable and writable by root only (mode
 * 600), so unprivileged host users cannot read VM disks. The nodes live on devtmpfs, so a chmod is lost
 * at the next boot or whenever udev recreates them; a udev rule of Ballast's own sets the mode again.
 * Owner and group are left alone: libvirt's dynamic_ownership changes them when a VM starts.
 */
final class RawDiskPermissionsStep extends TuningStep<RawDiskPermissionsStep.Params> {

    static final String WANTED = "600";

    record Params(VolumeGroup vg) {
        RemotePath rule() {
            return RemotePath.of("/etc/udev/rules.d/99-ballast-raw-disk-" + vg.name() + ".rules");
        }

        String ruleText() {
            return "# Written by Ballast (step raw-disk-permissions); removed by its rollback.\n"
                    + "# chmod on /dev is lost at reboot (devtmpfs): udev sets the mode whenever it creates the nodes.\n"
                    + "ENV{DM_VG_NAME}==\"" + vg.name() + "\", MODE=\"0600\"\n";
        }
    }

    /** An octal file mode as stat's %a prints it and chmod takes it. */
    record FileMode(String octal) implements RemoteArg {

        private static final Pattern OCTAL = Pattern.compile("[0-7]{3,4}");

        FileMode {
            Values.matching("file mode", octal, OCTAL, "three or four octal digits such as 660");
        }

        @Override
        public String arg() {
            return octal;
        }
    }

    @Override
    public String id() {
        return "raw-disk-permissions";
    }

    @Override
    public String description() {
        return "Restrict a volume group's logical volume nodes to mode 600 (chmod); chmod on /dev alone does not "
                + "survive a reboot, so a udev rule of Ballast's own keeps the mode";
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

    /** Facts: each active non-pool volume's node ({@code /dev/VG/LV}) with its mode and owner, and the rule file. */
    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        if (LvmReport.vgs(shell).stream().noneMatch(vg -> vg.name().equals(p.vg().name()))) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the host has no volume group " + p.vg().name());
        }
        StepState.Builder state = StepState.builder();
        for (RemotePath node : LvmReport.nodeLinks(shell, p.vg())) {
            state.put(node.path(), shell.check(Command.of("stat", "-L", "-c", "%a %U:%G", "--").arg(node)).stdout().strip());
        }
        return state.put("rule", HostFiles.read(shell, p.rule())).build();
    }

    @Override
    public List<Drift> drift(StepState current, Params p) {
        List<Drift> drift = new ArrayList<>();
        for (Map.Entry<String, String> fact : current.facts().entrySet()) {
            if (isNode(fact.getKey()) && !WANTED.equals(mode(fact.getValue()))) {
                drift.add(new Drift(fact.getKey(), WANTED + fact.getValue().substring(mode(fact.getValue()).length()),
                        fact.getValue()));
            }
        }
        if (!Objects.equals(p.ruleText(), current.facts().get("rule"))) {
            drift.add(new Drift("rule", p.ruleText(), current.get("rule")));
        }
        return drift;
    }

    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        for (RemotePath node : LvmReport.nodeLinks(shell, p.vg())) {
            chmod(shell, new FileMode(WANTED), node);
        }
        HostFiles.write(shell, p.rule(), p.ruleText());
        reloadRules(shell);
    }

    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        List<Drift> drift = drift(now, p);
        boolean applied = drift.stream().noneMatch(d -> d.fact().equals("rule"));
        long wrongModes = drift.stream().filter(d -> isNode(d.fact())).count();
        return new Verification(now, applied, wrongModes == 0, drift, wrongModes == 0 ? "every node of " + p.vg().name()
                + " has mode 600" : wrongModes + " node(s) of " + p.vg().name() + " do not have mode 600");
    }

    /** Puts back each captured mode on the nodes that still exist, and the captured rule file. */
    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure {
        List<RemotePath> existing = LvmReport.nodeLinks(shell, p.vg());
        for (Map.Entry<String, String> fact : captured.facts().entrySet()) {
            if (isNode(fact.getKey()) && existing.contains(RemotePath.of(fact.getKey()))) {
                chmod(shell, new FileMode(mode(fact.getValue())), RemotePath.of(fact.getKey()));
            }
        }
        HostFiles.restore(shell, p.rule(), captured.absent("rule") ? null : captured.get("rule"));
        reloadRules(shell);
    }

    private static boolean isNode(String fact) {
        return fact.startsWith("/dev/");
    }

    /** The mode part of stat's {@code 660 root:disk}. */
    private static String mode(String stat) {
        int space = stat.indexOf(' ');
        return space < 0 ? stat : stat.substring(0, space);
    }

    private static void chmod(RemoteShell shell, FileMode mode, RemotePath node) throws RemoteFailure {
        shell.check(Command.of("chmod").arg(mode).literal("--").arg(node));
    }

    private static void reloadRules(RemoteShell shell) throws RemoteFailure {
        shell.check(Command.of("udevadm", "control", "--reload-rules"));
    }
}
