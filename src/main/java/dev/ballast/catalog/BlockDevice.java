package dev.ballast.catalog;

import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/**
 * A whole block device by its kernel name ({@code nvme0n1}, {@code sda}). NVMe multipath's hidden
 * per-path devices ({@code nvme0c0n1}) and partitions are not accepted: tuning belongs to the disk.
 */
public record BlockDevice(String name) implements RemoteArg {

    private static final Pattern NAME = Pattern.compile("nvme\\d{1,3}n\\d{1,4}|sd[a-z]{1,3}|vd[a-z]{1,3}|xvd[a-z]{1,3}|dm-\\d{1,5}|md\\d{1,4}");
    /** The {@code device} parameter of the steps and checks that act on one whole disk, as /api/steps lists it. */
    static final ParameterSpec WHOLE_DISK = parameter("whole disk, such as nvme0n1");

    /** A required {@code device} parameter with this class's pattern, described for its step. */
    static ParameterSpec parameter(String description) {
        return ParameterSpec.required("device", "block-device", description, NAME.pattern());
    }

    public BlockDevice {
        Values.matching("block device", name, NAME, "a whole disk such as nvme0n1, sda, vdb, dm-3 or md0");
    }

    @Override
    public String arg() {
        return name;
    }

    public RemotePath node() {
        return RemotePath.of("/dev/" + name);
    }

    public RemotePath sysfs(String relative) {
        return RemotePath.of("/sys/block/" + name + "/" + relative);
    }
}
