package dev.ballast.lab;

import java.util.List;

/**
 * The storage state of one simulated hypervisor: what its files, devices and tools show. Commands
 * run one at a time per host (the lab holds the host's lock while a program runs), as one connection
 * per host would see on a real machine.
 */
public final class HostState {

    final Faults faults;
    final EtcFiles etc = new EtcFiles();
    final Disks disks;
    final Hugepages hugepages;
    final Libvirt libvirt = new Libvirt();
    final Hardware hardware = new Hardware();
    final Lvm lvm = new Lvm();
    final Selinux selinux = new Selinux(lvm);
    final AppArmor apparmor = new AppArmor(etc, lvm, libvirt);
    final KernelLog kernelLog = new KernelLog();
    final LabCpus cpus = new LabCpus();
    private final List<LabFiles> files;

    HostState(Faults faults, long memTotalKib) {
        this.faults = faults;
        this.disks = new Disks(faults);
        this.hugepages = new Hugepages(memTotalKib, faults, libvirt);
        this.files = List.of(etc, disks, hugepages, apparmor, cpus, libvirt.qemu.logs);
        libvirt.qemu.confinement = apparmor::start;
    }

    synchronized Exec execute(List<String> argv, String stdin) {
        return LabPrograms.run(this, argv, stdin);
    }

    LabFiles filesAt(String path) {
        return files.stream().filter(f -> f.owns(path)).findFirst()
                .orElseThrow(() -> new LabSurprise("no step should touch " + path));
    }

    /** The text of a file, for tests that compare what a host holds; null when absent. */
    public synchronized String file(String path) {
        return filesAt(path).read(path);
    }

    /**
     * Reboots the host (see {@link Boot}): runtime state is lost and rebuilt from what is persisted, and the
     * guests that ran start again from their persistent XML. Answers the errors of guests that could not start.
     */
    public synchronized List<String> reboot() {
        return Boot.reboot(this);
    }

    /** The kernel logs an nvme0 I/O timeout a second after its last line (see {@link Faults#kernelTimeoutOn}). */
    synchronized void logKernelTimeout() {
        kernelLog.timeout();
    }

    /** Writes a file of the host's own administrator, such as /etc/sysctl.conf, that no step writes. */
    public synchronized void writeByHand(String path, String text) {
        etc.putByHand(path, text);
    }

    /** Sets the kernel command line the next boot (and /proc/cmdline) has, such as one with {@code hugepages=N}. */
    public synchronized void setKernelCommandLine(String cmdline) {
        hugepages.cmdline = cmdline;
    }

    /** Sets a disk's active scheduler directly, as drift made by someone else would. */
    public synchronized void setScheduler(String device, String scheduler) {
        disks.get(device).active = scheduler;
    }

    public synchronized String scheduler(String device) {
        return disks.get(device).active;
    }

    /** Sets the 2 MiB huge pages reserved, as drift made by someone else would. */
    public synchronized void setHugepages2m(long pages) {
        hugepages.reserveDefault(pages);
    }

    public synchronized long hugepages2m() {
        return hugepages.reservedDefault();
    }

    /** The host's libvirt domains, for tests that read or restart them. */
    public Libvirt libvirt() {
        return libvirt;
    }

    /** Sets what {@code uname -r} prints, as a host booted into another kernel would. */
    public synchronized void setKernelRelease(String release) {
        hardware.kernelRelease = release;
    }

    /** Sets an NVMe controller's temperature as its SMART log counts it: a hot drive is state, not a fault. */
    public synchronized void setNvmeTemperatureKelvin(String controller, int kelvin) {
        hardware.controller(controller).kelvin = kelvin;
    }

    /** Removes or installs nvme-cli, so the temperature check falls back to lm-sensors. */
    public synchronized void setNvmeCliInstalled(boolean installed) {
        hardware.nvmeCli = installed;
    }

    public synchronized boolean thinPool(String vg, String pool) {
        return lvm.find(vg, pool).filter(Lvm.Lv::thinPool).isPresent();
    }

    public synchronized boolean volumeGroup(String vg) {
        return lvm.vgs.contains(vg);
    }

    /** Whether the device is an LVM physical volume (of any group or none). */
    public synchronized boolean physicalVolume(String device) {
        return lvm.pvs.containsKey(device);
    }

    /** The names of the group's logical volumes, as lvs lists them. */
    public synchronized List<String> logicalVolumes(String vg) {
        return lvm.lvsOf(vg).stream().map(lv -> lv.name).sorted().toList();
    }

    /** The octal mode of the node /dev/VG/LV, as stat's %a prints it; null when there is no node. */
    public synchronized String nodeMode(String path) {
        return lvm.node(path).map(lv -> lv.mode).orElse(null);
    }

    /** Creates a thin volume in a pool, as an operator provisioning a VM disk would after Ballast's apply. */
    public synchronized void createThinVolume(String vg, String pool, String name, long bytes) {
        if (!thinPool(vg, pool)) {
            throw new IllegalStateException("no thin pool " + vg + "/" + pool);
        }
        lvm.lv(vg, name, "Vwi-a-tz--", bytes, pool);
    }

    /** The local abstraction's rules the running guest's AppArmor profile was last loaded with. */
    public synchronized List<String> apparmorLoaded(String uuid) {
        return apparmor.loaded(uuid);
    }

    /** The type of the local SELinux file-context rule for the spec, or null. */
    public synchronized String fcontextType(String spec) {
        return selinux.localType(spec);
    }
}
