package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * AppArmor as libvirt uses it on Debian and Ubuntu hosts: whether the kernel enforces it, the site's local
 * addition to the abstraction every QEMU profile includes, and the per-guest profiles virt-aa-helper loaded
 * for the running guests. Reading only, and reloading those profiles; what goes into the file is the step's.
 */
final class AppArmor {

    static final RemotePath ENABLED = RemotePath.of("/sys/module/apparmor/parameters/enabled");
    /** Included by abstractions/libvirt-qemu, so by every guest's profile; Debian ships it comment-only. */
    static final RemotePath LOCAL = RemotePath.of("/etc/apparmor.d/local/abstractions/libvirt-qemu");
    /** aa-status lists a profile of a mode indented by three spaces under the mode's count line. */
    private static final Pattern GUEST_PROFILE = Pattern.compile("(?m)^   libvirt-([0-9a-f-]{36})$");
    private static final Pattern MODE_COUNT = Pattern.compile("(?m)^(\\d+) profiles are in (enforce|complain) mode\\.$");

    /** The local file's text (null when absent) and the running guests whose profiles include it. */
    record Status(String local, List<DomainRef.Uuid> guests) {
    }

    private AppArmor() {
    }

    /**
     * The host's AppArmor, or a refusal saying why it does not confine QEMU: no module in the kernel (RHEL),
     * a kernel booted with apparmor=0, no userspace tools, or no policy loaded.
     */
    static Status require(RemoteShell shell) throws RemoteFailure, StepRefusal {
        Map<RemotePath, String> files = HostFiles.readAll(shell, List.of(ENABLED, LOCAL));
        String enabled = files.get(ENABLED);
        if (enabled == null) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "AppArmor is absent: the kernel has no apparmor module");
        }
        if (enabled.strip().equals("N")) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "AppArmor is disabled: " + ENABLED + " is N");
        }
        if (!enabled.strip().equals("Y")) {
            throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, ENABLED + " holds '" + Values.printable(enabled.strip())
                    + "', not Y or N", null);
        }
        return new Status(files.get(LOCAL), guests(shell));
    }

    /**
     * The guests whose profiles are loaded, from aa-status (exit 0: policy loaded; 1: AppArmor off; 2: no
     * policy loaded; 127: the apparmor package is not installed, so libvirt cannot confine QEMU with it).
     */
    private static List<DomainRef.Uuid> guests(RemoteShell shell) throws RemoteFailure, StepRefusal {
        CommandResult status = shell.run(Command.of("aa-status"));
        if (status.exitCode() == 127) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "AppArmor is enabled but aa-status is missing: "
                    + "without the apparmor tools libvirt loads no profile for QEMU");
        }
        if (status.exitCode() == 1 || status.exitCode() == 2) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "AppArmor confines nothing: aa-status says '"
                    + Values.printable((status.stdout() + status.stderr()).strip()) + "'");
        }
        if (!status.succeeded() || !MODE_COUNT.matcher(status.stdout()).find()) {
            throw RemoteFailure.commandFailed(status, "aa-status printed no profile modes");
        }
        List<DomainRef.Uuid> guests = new ArrayList<>();
        // Only the profiles part: the processes part names profiles again, after the executable and pid.
        String profiles = status.stdout().split("(?m)^\\d+ processes have profiles defined\\.$", 2)[0];
        Matcher guest = GUEST_PROFILE.matcher(profiles);
        while (guest.find()) {
            guests.add(new DomainRef.Uuid(guest.group(1)));
        }
        return guests;
    }

    /**
     * Reloads each running guest's profile, so it reads the local file again: a guest started later gets a
     * profile virt-aa-helper writes afresh, which includes the file as it then is.
     */
    static void reload(RemoteShell shell, List<DomainRef.Uuid> guests) throws RemoteFailure {
        for (DomainRef.Uuid guest : guests) {
            shell.check(Command.of("apparmor_parser", "-r").arg(RemotePath.of("/etc/apparmor.d/libvirt/libvirt-" + guest.value())));
        }
    }
}
