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
    private final List<LabFiles> files;

    HostState(Faults faults, long memTotalKib) {
        this.faults = faults;
        this.disks = new Disks(faults);
        this.hugepages = new Hugepages(memTotalKib, faults);
        this.files = List.of(etc, disks, hugepages);
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

    /** Sets a disk's active scheduler directly, as drift made by someone else would. */
    public synchronized void setScheduler(String device, String scheduler) {
        disks.get(device).active = scheduler;
    }

    public synchronized String scheduler(String device) {
        return disks.get(device).active;
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
}
