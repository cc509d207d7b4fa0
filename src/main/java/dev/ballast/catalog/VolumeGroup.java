package dev.ballast.catalog;

import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/** An LVM volume group name, to Ballast's policy (stricter than lvm(8): no leading '.' or '+'). */
public record VolumeGroup(String name) implements RemoteArg {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
    /** The {@code vg} parameter of the steps that act on the group holding the VM disks, as /api/steps lists it. */
    static final ParameterSpec VM_DISKS = parameter("volume group holding the VM disks, such as vg_storage");

    /** A required {@code vg} parameter with this class's pattern, described for its step. */
    static ParameterSpec parameter(String description) {
        return ParameterSpec.required("vg", "volume-group", description, NAME.pattern());
    }

    public VolumeGroup {
        Values.matching("volume group name", name, NAME, "up to 63 letters, digits and _.- not starting with . or -");
    }

    @Override
    public String arg() {
        return name;
    }

    public RemotePath devDirectory() {
        return RemotePath.of("/dev/" + name);
    }
}
