package dev.ballast.lab;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The logs libvirt keeps per domain under /var/log/libvirt/qemu, as Debian's libvirt writes them: at each start
 * a "starting up" line and the environment and QEMU command line it ran, then QEMU's own messages (time-stamped,
 * since libvirt passes {@code -msg timestamp=on}), and a "shutting down" line with the reason when it ends. A start
 * that fails ends with QEMU's error and {@code reason=failed}. No step writes them; the catalog only reads their end.
 */
final class QemuLogs implements LabFiles {

    static final String DIRECTORY = "/var/log/libvirt/qemu/";
    /** When the lab's guests first started: fixed, so that both labs print the same bytes. */
    static final Instant FIRST_START = Instant.parse("2026-11-28T06:12:41.532Z");
    private static final DateTimeFormatter LIBVIRT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'+0000'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter QEMU = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern BLOCK_SOURCE = Pattern.compile("<source dev='([^']+)'/>");
    private static final Pattern MEMORY = Pattern.compile("<memory unit='KiB'>(\\d+)</memory>");
    private static final Pattern VCPUS = Pattern.compile("<vcpu placement='static'>(\\d+)</vcpu>");

    private final Map<String, StringBuilder> logs = new HashMap<>();
    /** What the "starting up" line names: this host's hostname, kernel and libvirt. */
    private String hostname = "localhost";
    private String kernel = "6.1.0-27-amd64";
    private String libvirtVersion = "9.0.0";

    void host(String hostname, String kernel, String libvirtVersion) {
        this.hostname = hostname;
        this.kernel = kernel;
        this.libvirtVersion = libvirtVersion;
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(DIRECTORY) && path.endsWith(".log");
    }

    @Override
    public String read(String path) {
        StringBuilder log = logs.get(path.substring(DIRECTORY.length(), path.length() - ".log".length()));
        return log == null ? null : log.toString();
    }

    @Override
    public Exec write(String path, String text) {
        throw new LabSurprise("no step should write " + path);
    }

    /** libvirt starts QEMU for the domain with this XML; answers the -blockdev option of each block disk, in order. */
    List<String> starting(String name, int id, String uuid, String xml, Instant at) {
        String home = "/var/lib/libvirt/qemu/domain-" + id + "-" + name;
        boolean old = libvirtVersion.startsWith("7.");
        long kib = Long.parseLong(first(MEMORY, xml, "0"));
        String vcpus = first(VCPUS, xml, "1");
        StringBuilder log = logs.computeIfAbsent(name, n -> new StringBuilder());
        log.append(LIBVIRT.format(at)).append(": starting up libvirt version: ").append(libvirtVersion).append(", package: ")
                .append(old ? "7.0.0-3+deb11u3 (Debian), qemu version: 5.2.0Debian 1:5.2+dfsg-11+deb11u3"
                        : "9.0.0-4+deb12u2 (Debian), qemu version: 7.2.0Debian 1:7.2+dfsg-7+deb12u7")
                .append(", kernel: ").append(kernel).append(", hostname: ").append(hostname).append('\n');
        List<String> lines = new ArrayList<>(List.of("LC_ALL=C", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",
                "HOME=" + home, "XDG_DATA_HOME=" + home + "/.local/share", "XDG_CACHE_HOME=" + home + "/.cache",
                "XDG_CONFIG_HOME=" + home + "/.config", "/usr/bin/qemu-system-x86_64", "-name guest=" + name + ",debug-threads=on",
                "-S", "-object '{\"qom-type\":\"secret\",\"id\":\"masterKey0\",\"format\":\"raw\",\"file\":\"" + home
                        + "/master-key.aes\"}'",
                "-machine pc-q35-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram", "-accel kvm", "-cpu host,migratable=on",
                "-m " + kib / 1024, "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\",\"size\":" + kib * 1024 + "}'",
                "-smp " + vcpus + ",sockets=" + vcpus + ",cores=1,threads=1", "-uuid " + uuid, "-no-user-config", "-nodefaults"));
        List<String> sources = new ArrayList<>();
        Matcher source = BLOCK_SOURCE.matcher(xml);
        while (source.find()) {
            sources.add(source.group(1));
        }
        List<String> blockdevs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            int node = sources.size() - i;
            String blockdev = "{\"driver\":\"host_device\",\"filename\":\"" + sources.get(i) + "\",\"node-name\":\"libvirt-" + node
                    + "-storage\",\"auto-read-only\":true,\"discard\":\"unmap\"}";
            blockdevs.add(blockdev);
            lines.add("-blockdev '" + blockdev + "'");
            lines.add("-blockdev '{\"node-name\":\"libvirt-" + node + "-format\",\"read-only\":false,\"driver\":\"raw\",\"file\":"
                    + "\"libvirt-" + node + "-storage\"}'");
            lines.add("-device '{\"driver\":\"virtio-blk-pci\",\"drive\":\"libvirt-" + node + "-format\",\"id\":\"virtio-disk" + i
                    + "\"}'");
        }
        lines.add(old ? "-vnc 127.0.0.1:0,password" : "-vnc 127.0.0.1:0,password=on");
        lines.add("-msg timestamp=on");
        log.append(String.join(" \\\n", lines)).append('\n');
        return blockdevs;
    }

    /** QEMU exits with this error before the guest runs; libvirt records the failed start. */
    void failed(String name, String qemuError, Instant at) {
        logs.get(name).append(QEMU.format(at.plusMillis(61))).append(" qemu-system-x86_64: ").append(qemuError).append('\n');
        stopped(name, "failed", at.plusMillis(112));
    }

    void stopped(String name, String reason, Instant at) {
        logs.computeIfAbsent(name, n -> new StringBuilder()).append(LIBVIRT.format(at)).append(": shutting down, reason=")
                .append(reason).append('\n');
    }

    /** A line someone else's tooling (or QEMU itself) wrote into the domain's log. */
    void append(String name, String line) {
        logs.computeIfAbsent(name, n -> new StringBuilder()).append(line).append('\n');
    }

    private static String first(Pattern pattern, String text, String otherwise) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }
}
