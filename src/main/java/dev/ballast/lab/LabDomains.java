package dev.ballast.lab;

/**
 * The libvirt domains a lab host starts with, deterministic by host index: {@code vm-N-1} runs with a
 * connected guest agent and two virtio disks; {@code vm-N-2} is shut off, with a SATA CD-ROM already
 * named sda (so a virtio-scsi move must pick another name); odd hosts add {@code vm-N-3}, running with
 * an agent that does not answer and a virtio-scsi controller already present. On every third host
 * {@code vm-N-3} belongs to OpenStack nova. Hosts divisible by four run libvirt 7.0.0 (Debian 11),
 * the rest 9.0.0 (Debian 12). virt-install's libosinfo metadata names the OS of {@code vm-N-2}: Debian 12
 * on hosts 2, 6, 10..., Windows Server 2022 on hosts divisible by four, nothing elsewhere. Guest agents
 * that answer run Debian 12; on hosts 2, 5, 8... their qemu-guest-agent is the 5.2.0 of Debian 11, never
 * upgraded, elsewhere 7.2.0. On even hosts {@code vm-N-1} pins its two vCPUs to host CPUs 2
 * and 3.
 */
final class LabDomains {

    private LabDomains() {
    }

    static void populate(Libvirt libvirt, int host, String kernel) {
        libvirt.version(host % 4 == 0 ? "7.0.0" : "9.0.0", String.format("hv-%03d", host), kernel);
        libvirt.add(domain(new Spec(host, 1, 4194304, 2, disks(host, 1, 2) + agentChannel(), "", 3)), true, true);
        String os = host % 4 == 2 ? libosinfo("http://debian.org/debian/12") : host % 4 == 0 ? libosinfo("http://microsoft.com/win/2k22")
                : "";
        libvirt.add(domain(new Spec(host, 2, 2097152, 1, disks(host, 2, 1) + cdrom(), os, 4)), false, false);
        if (host % 2 == 1) {
            String metadata = host % 3 == 0 ? nova(host) : "";
            libvirt.add(domain(new Spec(host, 3, 8388608, 4, disks(host, 3, 1) + scsiController() + agentChannel(), metadata, 5)),
                    true, false);
        }
        String agent = host % 3 == 2 ? GuestAgent.OLD : GuestAgent.CURRENT;
        libvirt.uuids().forEach(uuid -> libvirt.agentVersion(uuid, agent));
    }

    static String uuid(int host, int n) {
        return String.format("%08x-%04x-4%03x-8%03x-%012x", 0x6c616200 + host, n, host % 4096, n, (long) host * 1000 + n);
    }

    /** Domain {@code n} of lab host {@code host}: its size, devices, metadata and the PCI slot of its NIC. */
    private record Spec(int host, int n, long memoryKib, int vcpus, String devices, String metadata, int nicSlot) {
    }

    private static String domain(Spec spec) {
        int host = spec.host();
        int n = spec.n();
        return "<domain type='kvm'>\n"
                + "  <name>vm-" + host + "-" + n + "</name>\n"
                + "  <uuid>" + uuid(host, n) + "</uuid>\n"
                + spec.metadata()
                + "  <memory unit='KiB'>" + spec.memoryKib() + "</memory>\n"
                + "  <currentMemory unit='KiB'>" + spec.memoryKib() + "</currentMemory>\n"
                + "  <vcpu placement='static'>" + spec.vcpus() + "</vcpu>\n"
                + (n == 1 && host % 2 == 0 ? "  <cputune>\n    <vcpupin vcpu='0' cpuset='2'/>\n    <vcpupin vcpu='1' cpuset='3'/>\n"
                        + "  </cputune>\n" : "")
                + "  <os>\n    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n    <boot dev='hd'/>\n  </os>\n"
                + "  <features>\n    <acpi/>\n    <apic/>\n  </features>\n"
                + "  <cpu mode='host-passthrough' check='none' migratable='on'/>\n"
                + "  <clock offset='utc'/>\n"
                + "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n"
                + "  <devices>\n"
                + "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
                + spec.devices()
                + "    <interface type='bridge'>\n"
                + String.format("      <mac address='52:54:00:%02x:%02x:%02x'/>%n", host / 256 % 256, host % 256, n)
                + "      <source bridge='br0'/>\n      <model type='virtio'/>\n"
                + pci(spec.nicSlot(), "      ")
                + "    </interface>\n"
                + "    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' passwd='s3cret-" + host + "-" + n + "'>\n"
                + "      <listen type='address' address='127.0.0.1'/>\n    </graphics>\n"
                + "  </devices>\n"
                + "</domain>\n";
    }

    private static String disks(int host, int n, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append("    <disk type='block' device='disk'>\n")
                    .append("      <driver name='qemu' type='raw'/>\n")
                    .append("      <source dev='/dev/vg_storage/vm-").append(host).append('-').append(n)
                    .append(i == 0 ? "-root" : "-data" + i).append("'/>\n")
                    .append("      <target dev='vd").append((char) ('a' + i)).append("' bus='virtio'/>\n")
                    .append(pci(7 + i, "      "))
                    .append("    </disk>\n");
        }
        return out.toString();
    }

    private static String cdrom() {
        return "    <disk type='file' device='cdrom'>\n"
                + "      <driver name='qemu' type='raw'/>\n"
                + "      <source file='/var/lib/libvirt/images/debian-12.iso'/>\n"
                + "      <target dev='sda' bus='sata'/>\n"
                + "      <readonly/>\n"
                + "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
                + "    </disk>\n";
    }

    private static String scsiController() {
        return "    <controller type='scsi' index='0' model='virtio-scsi'>\n" + pci(6, "      ") + "    </controller>\n";
    }

    private static String agentChannel() {
        return "    <channel type='unix'>\n"
                + "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
                + "      <address type='virtio-serial' controller='0' bus='0' port='1'/>\n"
                + "    </channel>\n";
    }

    private static String nova(int host) {
        return "  <metadata>\n"
                + "    <nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>\n"
                + "      <nova:package version='27.1.0'/>\n"
                + "      <nova:name>web-" + host + "</nova:name>\n"
                + "      <nova:flavor name='m1.large'>\n        <nova:memory>8192</nova:memory>\n"
                + "        <nova:vcpus>4</nova:vcpus>\n      </nova:flavor>\n"
                + "    </nova:instance>\n"
                + "  </metadata>\n";
    }

    /** The OS virt-install recorded, as libosinfo metadata. */
    private static String libosinfo(String os) {
        return "  <metadata>\n"
                + "    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
                + "      <libosinfo:os id='" + os + "'/>\n"
                + "    </libosinfo:libosinfo>\n"
                + "  </metadata>\n";
    }

    private static String pci(int slot, String indent) {
        return String.format("%s<address type='pci' domain='0x0000' bus='0x%02x' slot='0x00' function='0x0'/>%n", indent,
                slot);
    }
}
