package dev.ballast.catalog;

import java.util.List;
import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/** An LVM logical volume name: Ballast's name policy plus the names and parts lvm(8) reserves. */
public record LogicalVolume(String name) implements RemoteArg {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
    private static final List<String> RESERVED_PARTS = List.of("_cdata", "_cmeta", "_corig", "_iorig", "_mimage",
            "_mlog", "_pmspare", "_rimage", "_rmeta", "_tdata", "_tmeta", "_vdata", "_vorigin", "_wcorig");

    public LogicalVolume {
        Values.matching("logical volume name", name, NAME, "up to 63 letters, digits and _.- not starting with . or -");
        if (name.equals("snapshot") || name.equals("pvmove") || RESERVED_PARTS.stream().anyMatch(name::contains)) {
            throw new IllegalArgumentException("'" + name + "' is reserved by LVM");
        }
    }

    @Override
    public String arg() {
        return name;
    }

    /** {@code vg/lv}, as lvcreate and lvremove take it. */
    public RemoteArg in(VolumeGroup group) {
        String path = group.name() + "/" + name;
        return () -> path;
    }
}
