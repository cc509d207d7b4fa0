package dev.ballast.catalog;

import java.util.List;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteArg;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Adds a local SELinux file-context rule that labels a volume group's /dev directory virt_image_t, and
 * relabels it with restorecon. /dev/VG/LV are symlinks to /dev/dm-N, so the rule labels the directory and
 * its links; the nodes the links point to keep their own label, and sVirt labels a VM's disks itself when
 * the VM starts. The rule lives in the policy store and so survives reboots.
 */
final class SelinuxContextStep extends TuningStep<SelinuxContextStep.Params> {

    static final SelinuxType WANTED = new SelinuxType("virt_image_t");

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
        return "Label a volume group's /dev directory virt_image_t with a local semanage fcontext rule and restorecon "
                + "(not applicable where SELinux is absent or disabled)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.required("vg", "volume-group", "volume group holding the VM disks, such as vg_storage",
                "[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}"));
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

    /** Facts: the type the local rule for /dev/VG(/.*)? gives, absent when there is no such rule. */
    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        requireSelinux(shell);
        return StepState.builder().put("fcontext", localType(shell, p.spec().arg())).build();
    }

    private static void requireSelinux(RemoteShell shell) throws RemoteFailure, StepRefusal {
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
    }

    /**
     * The type of the local rule for {@code spec}. semanage prints {@code SPEC  FILE-TYPE  user:role:type:level}
     * in columns; the file type may be two words, so the spec is the first field and the context the last.
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

    @Override
    public List<Drift> drift(StepState current, Params p) {
        return WANTED.name().equals(current.get("fcontext")) ? List.of()
                : List.of(new Drift("fcontext", WANTED.name(), current.get("fcontext")));
    }

    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        setRule(shell, p, before.get("fcontext"), WANTED);
        relabel(shell, p);
    }

    /** The rule is what semanage lists; restorecon ran in apply, which would have failed otherwise. */
    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        boolean listed = drift(now, p).isEmpty();
        return new Verification(now, listed, listed, drift(now, p), listed
                ? p.spec().arg() + " is labelled " + WANTED.name()
                : "semanage lists " + p.spec().arg() + " as " + now.get("fcontext") + ", not " + WANTED.name());
    }

    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure, StepRefusal {
        String current = probe(shell, p).get("fcontext");
        if (captured.absent("fcontext")) {
            if (!StepState.ABSENT.equals(current)) {
                shell.check(Command.of("semanage", "fcontext", "-d").arg(p.spec()));
            }
        } else {
            setRule(shell, p, current, new SelinuxType(captured.get("fcontext")));
        }
        relabel(shell, p);
    }

    /** Adds the rule, or modifies it when one exists: semanage refuses to add a spec that is already defined. */
    private static void setRule(RemoteShell shell, Params p, String current, SelinuxType type) throws RemoteFailure {
        if (StepState.ABSENT.equals(current)) {
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
