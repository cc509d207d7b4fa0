package dev.ballast.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * AppArmor on a Debian-like lab host (apparmor 3.0 and libvirt's security driver): the kernel's enabled flag,
 * aa-status, apparmor_parser, and the per-guest profiles libvirt loads when a guest starts. The site's local
 * abstraction is a file of the host's /etc, which every guest profile includes. The lab is unkind on purpose:
 * its virt-aa-helper grants a block disk's path as the XML names it and not the dm node behind the link,
 * which is what AppArmor judges, so a raw LVM volume opens only when that file grants its node.
 */
final class AppArmor implements LabFiles {

    static final String ENABLED = "/sys/module/apparmor/parameters/enabled";
    static final String LOCAL = "/etc/apparmor.d/local/abstractions/libvirt-qemu";
    /** The file as Debian's libvirt-daemon-system ships it. */
    static final String SHIPPED_LOCAL = "# Site-specific additions and overrides for 'abstractions/libvirt-qemu'\n";
    private static final String PROFILE_DIR = "/etc/apparmor.d/libvirt/libvirt-";
    private static final List<String> SYSTEM_PROFILES = List.of("/usr/bin/man", "/usr/lib/libvirt/virt-aa-helper",
            "/usr/sbin/chronyd", "libvirtd", "libvirtd//qemu_bridge_helper", "lsb_release", "man_filter", "man_groff");

    /** Y or N; null where the kernel has no AppArmor at all (RHEL) and the apparmor tools are not installed. */
    volatile Boolean enabled;
    /** The abstraction's rules each running guest's profile was last loaded with, by UUID. */
    private final Map<String, List<String>> loaded = new HashMap<>();
    private final EtcFiles etc;
    private final Lvm lvm;
    private final Libvirt libvirt;

    AppArmor(EtcFiles etc, Lvm lvm, Libvirt libvirt) {
        this.etc = etc;
        this.lvm = lvm;
        this.libvirt = libvirt;
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith("/sys/module/");
    }

    @Override
    public String read(String path) {
        return path.equals(ENABLED) && enabled != null ? (enabled ? "Y\n" : "N\n") : null;
    }

    @Override
    public Exec write(String path, String text) {
        throw new LabSurprise("no step should write " + path);
    }

    Exec run(String program, List<String> args) {
        if (enabled == null) {
            return Exec.fail(127, "bash: line 1: " + program + ": command not found\n");
        }
        return switch (program) {
            case "aa-status" -> LabPrograms.expect(args, List.of(), this::status);
            case "apparmor_parser" -> replace(args);
            default -> throw new LabSurprise("no AppArmor program " + program);
        };
    }

    /** aa-status of apparmor 3.0: 0 with policy loaded, 1 when AppArmor is off. */
    private Exec status() {
        if (!enabled) {
            return new Exec(1, "apparmor module is not loaded.\n", "");
        }
        List<String> guests = libvirt.uuids().stream().filter(uuid -> libvirt.liveXml(uuid) != null).toList();
        TreeSet<String> profiles = new TreeSet<>(SYSTEM_PROFILES);
        guests.forEach(uuid -> profiles.add("libvirt-" + uuid));
        StringBuilder out = new StringBuilder("apparmor module is loaded.\n")
                .append(profiles.size()).append(" profiles are loaded.\n")
                .append(profiles.size()).append(" profiles are in enforce mode.\n");
        profiles.forEach(profile -> out.append("   ").append(profile).append('\n'));
        out.append("0 profiles are in complain mode.\n")
                .append(guests.size() + 1).append(" processes have profiles defined.\n")
                .append(guests.size() + 1).append(" processes are in enforce mode.\n")
                .append("   /usr/sbin/libvirtd (1187) libvirtd\n");
        List<String> all = libvirt.uuids();
        guests.forEach(uuid -> out.append("   /usr/bin/qemu-system-x86_64 (").append(3101 + all.indexOf(uuid))
                .append(") libvirt-").append(uuid).append('\n'));
        return Exec.ok(out.append("0 processes are in complain mode.\n")
                .append("0 processes are unconfined but have a profile defined.\n").toString());
    }

    /** {@code apparmor_parser -r FILE} of a running guest's profile, which includes the local abstraction. */
    private Exec replace(List<String> args) {
        if (args.size() != 2 || !args.get(0).equals("-r") || !args.get(1).startsWith(PROFILE_DIR)) {
            throw new LabSurprise("apparmor_parser " + args);
        }
        if (!enabled) {
            return Exec.fail(1, "Cache read/write disabled: interface file missing. (Kernel needs AppArmor 2.4 compatibility "
                    + "patch.)\nWarning: unable to find a suitable fs in /proc/mounts, is it mounted?\nUse --subdomainfs to override.\n");
        }
        String uuid = args.get(1).substring(PROFILE_DIR.length());
        if (!libvirt.uuids().contains(uuid) || libvirt.liveXml(uuid) == null) {
            // virt-aa-helper removes a guest's profile files when the guest stops.
            return Exec.fail(1, "File " + args.get(1) + " not found, skipping...\n");
        }
        AppArmorRules.Parsed parsed = AppArmorRules.parse(etc.read(LOCAL));
        if (!parsed.ok()) {
            return Exec.fail(1, "AppArmor parser error for " + args.get(1) + " in profile " + LOCAL + " at line "
                    + parsed.errorLine() + ": " + parsed.error() + "\n");
        }
        loaded.put(uuid, rulesOf(parsed));
        return Exec.ok("");
    }

    /**
     * Whether QEMU may start the guest: each block disk that is a lab volume must be granted read and write on its
     * dm node by the local abstraction, which virt-aa-helper's new profile includes as the file now is. Answers
     * the error virsh start prints, or null (and the profile is loaded).
     */
    String start(String uuid, LibvirtXml.Element root) {
        if (!Boolean.TRUE.equals(enabled)) {
            return null;
        }
        String name = root.childText("name");
        AppArmorRules.Parsed parsed = AppArmorRules.parse(etc.read(LOCAL));
        if (!parsed.ok()) {
            return "error: Failed to start domain '" + name + "'\nerror: internal error: cannot load AppArmor profile 'libvirt-"
                    + uuid + "'";
        }
        LibvirtXml.Element devices = root.child("devices");
        for (LibvirtXml.Element disk : devices == null ? List.<LibvirtXml.Element>of() : devices.all("disk")) {
            LibvirtXml.Element source = disk.child("source");
            String dev = "block".equals(disk.attributes.get("type")) && source != null ? source.attributes.get("dev") : null;
            String node = dev == null ? null : lvm.node(dev).map(lv -> "/dev/" + lv.dm).orElse(null);
            if (node != null && !AppArmorRules.grantsReadWrite(parsed.rules(), node)) {
                return "error: Failed to start domain '" + name + "'\nerror: internal error: qemu unexpectedly closed the monitor: "
                        + "qemu-system-x86_64: -blockdev {\"driver\":\"host_device\",\"filename\":\"" + dev
                        + "\",\"node-name\":\"libvirt-1-storage\",\"auto-read-only\":true,\"discard\":\"unmap\"}: Could not open '"
                        + dev + "': Permission denied";
            }
        }
        loaded.put(uuid, rulesOf(parsed));
        return null;
    }

    /** Every guest stopped: their profiles are unloaded and their files removed. */
    void reboot() {
        loaded.clear();
    }

    /** The abstraction's rules the guest's profile holds now; empty for one loaded from the file as shipped. */
    List<String> loaded(String uuid) {
        return loaded.getOrDefault(uuid, List.of());
    }

    private static List<String> rulesOf(AppArmorRules.Parsed parsed) {
        List<String> rules = new ArrayList<>();
        parsed.rules().forEach(rule -> rules.add((rule.deny() ? "deny " : "") + rule.glob() + " " + rule.modes() + ","));
        return rules;
    }
}
