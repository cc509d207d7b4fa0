package dev.ballast.catalog;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteArg;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Refuses to label a volume group's VM disks virt_image_t, naming the disks and why, and rolls back the
 * rule an earlier Ballast added. The disks are the /dev/dm-N nodes that the /dev/VG/LV links point to: the
 * local file-context rule for /dev/VG(/.*)? that this step used to add labels only the directory and the
 * links. The nodes' labels are sVirt's: libvirt gives each disk node its guest's own label when the guest
 * starts and puts the default back when it stops. A label Ballast kept on the nodes (only a udev rule could,
 * since dm-N is renumbered at boot) would fight that: relabelling on a change event takes a running guest's
 * disk from it under enforcing mode, and rollback could not restore the labels it captured once a guest had
 * started since. It must never report a disk labelled that is not.
 */
final class SelinuxContextStep extends TuningStep<SelinuxContextStep.Params> {

    record Params(VolumeGroup vg) {
        /** The rule's regular expression; a '.' in the group name is escaped so it matches only itself. */
        RemoteArg spec() {
            String spec = "/dev/" + vg.name().replace(".", "\\.") + "(/.*)?";
            return () -> spec;
        }
    }

    /** An SELinux type name, as semanage lists it and takes it back. */
    record SelinuxType(String name) implements RemoteArg {

        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,100}");

        SelinuxType {
            Values.matching("SELinux type", name, NAME, "letters, digits and _ such as virt_image_t");
        }

        @Override
        public String arg() {
            return name;
        }
    }

    @Override
    public String id() {
        return "selinux-context";
    }

    @Override
    public String description() {
        return "Refuses to label a volume group's VM disks virt_image_t: they are /dev/dm-N nodes whose labels sVirt sets "
                + "per guest, and a /dev/VG rule labels only links (not applicable where SELinux is absent or disabled); "
                + "rollback still undoes the rule earlier versions added";
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

    /** Refuses wherever SELinux is on, naming the nodes the group's links resolve to. */
    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        throw refusal(shell, p);
    }

    private static StepRefusal refusal(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        requireSelinux(shell);
        Map<RemotePath, RemotePath> nodes = DeviceNodes.resolve(shell, LvmReport.nodeLinks(shell, p.vg()));
        String disks = nodes.isEmpty() ? p.vg().name() + " has no active volume yet, and each to come will be a dm node"
                : "the disks of " + p.vg().name() + " are the device nodes " + nodes.entrySet().stream()
                        .map(link -> link.getKey() + " -> " + link.getValue()).collect(Collectors.joining(", "));
        return new StepRefusal(StepRefusal.Kind.UNSAFE, disks + "; a file-context rule for " + p.spec().arg()
                + " would label only the directory and its links, and sVirt labels each disk node for its guest when the "
                + "guest starts: a label Ballast kept on the nodes would take a running guest's disk from it on the next "
                + "udev change event, so Ballast leaves disk labels to sVirt");
    }

    /** The mode, Enforcing or Permissive; refused as not applicable where SELinux is absent or disabled. */
    static String requireSelinux(RemoteShell shell) throws RemoteFailure, StepRefusal {
        CommandResult result = shell.run(Command.of("getenforce"));
        if (result.exitCode() == 127) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "SELinux is absent: the host has no getenforce");
        }
        if (!result.succeeded()) {
            throw RemoteFailure.commandFailed(result);
        }
        String mode = result.stdout().strip();
        if (mode.equals("Disabled")) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "SELinux is disabled on the host");
        }
        if (!mode.equals("Enforcing") && !mode.equals("Permissive")) {
            throw RemoteFailure.commandFailed(result, "getenforce printed '" + Values.printable(mode) + "'");
        }
        return mode;
    }

    /**
     * The type of the local rule for {@code spec}, or null when there is none. semanage prints
     * {@code SPEC  FILE-TYPE  user:role:type:level} in columns; the file type may be two words, so the spec
     * is the first field and the context the last.
     */
    private static String localType(RemoteShell shell, String spec) throws RemoteFailure {
        CommandResult result = shell.check(Command.of("semanage", "fcontext", "--list", "--locallist"));
        for (String line : result.stdout().lines().toList()) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 3 && fields[0].equals(spec)) {
                String[] context = fields[fields.length - 1].split(":");
                if (context.length < 3) {
                    throw RemoteFailure.commandFailed(result, "semanage lists " + spec + " without a type: " + line.strip());
                }
                return context[2];
            }
        }
        return null;
    }

    /** The step wants nothing it could change: it refuses before any state is captured. */
    @Override
    public List<Drift> drift(StepState current, Params p) {
        return List.of();
    }

    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        throw refusal(shell, p);
    }

    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        throw refusal(shell, p);
    }

    /**
     * Puts back the rule an earlier Ballast captured (fact {@code fcontext}: the type of the local rule for
     * /dev/VG(/.*)?, absent when there was none) and relabels the directory and links.
     */
    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure, StepRefusal {
        requireSelinux(shell);
        String current = localType(shell, p.spec().arg());
        if (captured.absent("fcontext")) {
            if (current != null) {
                shell.check(Command.of("semanage", "fcontext", "-d").arg(p.spec()));
            }
        } else {
            setRule(shell, p, current, new SelinuxType(captured.get("fcontext")));
        }
        relabel(shell, p);
    }

    /** Adds the rule, or modifies it when one exists: semanage refuses to add a spec that is already defined. */
    private static void setRule(RemoteShell shell, Params p, String current, SelinuxType type) throws RemoteFailure {
        if (current == null) {
            shell.check(Command.of("semanage", "fcontext", "-a", "-t").arg(type).arg(p.spec()));
        } else if (!current.equals(type.name())) {
            shell.check(Command.of("semanage", "fcontext", "-m", "-t").arg(type).arg(p.spec()));
        }
    }

    /**
     * -i: a group whose only volume is a thin pool has no /dev directory yet, and the rule is still wanted
     * for the volumes to come; without it restorecon fails on the missing directory (found on real sshd).
     */
    private static void relabel(RemoteShell shell, Params p) throws RemoteFailure {
        shell.check(Command.of("restorecon", "-R", "-i").arg(p.vg().devDirectory()));
    }
}
