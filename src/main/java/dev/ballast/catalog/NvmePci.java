package dev.ballast.catalog;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/** Where an NVMe controller sits on the PCI bus, from the device link sysfs keeps for it. */
final class NvmePci {

    private NvmePci() {
    }

    static PciAddress address(RemoteShell shell, NvmeController controller, String expected)
            throws RemoteFailure, CheckFailed {
        CommandResult result = shell.run(Command.of("readlink", "-f")
                .arg(RemotePath.of("/sys/class/nvme/" + controller.name() + "/device")));
        if (!result.succeeded() || result.stdout().isBlank()) {
            throw new CheckFailed("no " + controller.name(), expected, "the host has no NVMe controller " + controller.name());
        }
        try {
            return PciAddress.ofDevicePath(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new CheckFailed(ToolOutput.shown(result.stdout()), expected, controller.name()
                    + " is not a PCI device (NVMe over fabrics?): " + e.getMessage());
        }
    }
}
