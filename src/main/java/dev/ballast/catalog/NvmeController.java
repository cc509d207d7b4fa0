package dev.ballast.catalog;

import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/** An NVMe controller by its kernel name ({@code nvme0}). */
public record NvmeController(String name) implements RemoteArg {

    private static final Pattern NAME = Pattern.compile("nvme\\d{1,3}");

    public NvmeController {
        Values.matching("NVMe controller", name, NAME, "nvme followed by a number, such as nvme0");
    }

    @Override
    public String arg() {
        return name;
    }

    public RemotePath node() {
        return RemotePath.of("/dev/" + name);
    }
}
