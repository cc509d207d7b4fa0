package dev.ballast.lab;

/** One libvirt domain of a lab host: its persistent and live XML, its state's reason and its guest agent. */
final class LabDomain {
    final String uuid;
    final String name;
    /** The persistent XML; null for a transient domain, which exists only while it runs. */
    String inactive;
    /** The XML the running QEMU process was started with; null while shut off. */
    String live;
    /** Why it is in its state, as {@code virsh domstate --reason} says: booted, unknown (never started here), failed... */
    String reason;
    boolean agentConnected;
    /** The qemu-guest-agent version inside the guest, as guest-info reports it. */
    String agentVersion = GuestAgent.CURRENT;

    LabDomain(String uuid, String name, String inactive, boolean running, boolean agentConnected) {
        this.uuid = uuid;
        this.name = name;
        this.inactive = inactive;
        this.live = running ? inactive : null;
        this.reason = running ? "booted" : "unknown";
        this.agentConnected = agentConnected;
    }

    boolean running() {
        return live != null;
    }

    boolean persistent() {
        return inactive != null;
    }
}
