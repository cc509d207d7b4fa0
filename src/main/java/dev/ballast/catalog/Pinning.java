package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteArg;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The virsh commands and host files of CPU pinning: where a running domain's emulator threads may run now,
 * which CPUs the host has online and isolated, and every guest's vCPU pins. Pins are changed here only with
 * {@code --live}: the persistent side goes through one define of the edited XML (see {@link DomainXmlStep}).
 */
final class Pinning {

    static final RemotePath ONLINE = RemotePath.of("/sys/devices/system/cpu/online");
    static final RemotePath ISOLATED = RemotePath.of("/sys/devices/system/cpu/isolated");
    /** {@code       *: 0-3}, the one line of the affinity virsh emulatorpin prints. */
    private static final Pattern EMULATOR_LINE = Pattern.compile("(?m)^\\s*\\*: (\\S+)\\s*$");
    /** A row of virsh iothreadinfo's table, {@code  1             0-3}, below its header and dashes. */
    private static final Pattern IOTHREAD_ROW = Pattern.compile("(?m)^ ([0-9]+) +(\\S+)$");
    private static final String NO_IOTHREADS = "No IOThreads found for the domain";
    private static final Pattern ID = Pattern.compile("[1-9][0-9]?");

    private Pinning() {
    }

    /** The host's CPUs as the kernel lists them: those online, and those isolcpus= keeps from the scheduler. */
    record HostCpus(CpuSet online, CpuSet isolated) {
    }

    /** One vCPU pin of a guest, as its XML says it. */
    /** {@code vcpu} null: the guest's vCPUs that have no {@code <vcpupin>}, placed by {@code <vcpu cpuset=>}. */
    record VcpuPin(String domain, String vcpu, CpuSet cpuset) {
        String label() {
            return domain + (vcpu == null ? " vcpus without a vcpupin (<vcpu cpuset>)" : " vcpu " + vcpu) + " on " + cpuset;
        }
    }

    static HostCpus hostCpus(RemoteShell shell) throws RemoteFailure {
        Map<RemotePath, String> files = HostFiles.readAll(shell, List.of(ONLINE, ISOLATED));
        if (files.get(ONLINE) == null) {
            throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, ONLINE + " does not exist", null);
        }
        try {
            // A kernel built without isolcpus support has no isolated file: nothing is isolated then.
            String isolated = files.get(ISOLATED);
            return new HostCpus(CpuSet.ofHost(files.get(ONLINE)), CpuSet.ofHost(isolated == null ? "" : isolated));
        } catch (IllegalArgumentException e) {
            throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, "the host's CPU lists are unreadable: " + e.getMessage(), e);
        }
    }

    /** Where the domain's emulator threads may run: live for a running domain, the persistent pin otherwise. */
    static CpuSet emulator(RemoteShell shell, DomainRef.Uuid uuid) throws RemoteFailure {
        CommandResult result = shell.check(Command.of("virsh", "emulatorpin").arg(uuid));
        Matcher line = EMULATOR_LINE.matcher(result.stdout());
        if (!line.find()) {
            throw RemoteFailure.commandFailed(result, "virsh emulatorpin printed no affinity line");
        }
        return cpuList(result, line.group(1));
    }

    /** Moves the running domain's emulator threads; libvirt refuses a CPU the host does not have online. */
    static void pinEmulator(RemoteShell shell, DomainRef.Uuid uuid, CpuSet cpuset) throws RemoteFailure {
        shell.check(Command.of("virsh", "emulatorpin").arg(uuid).arg(cpuset).literal("--live"));
    }

    /** The running domain's I/O threads by id, with where each may run; empty when it has none. */
    static Map<Integer, CpuSet> iothreads(RemoteShell shell, DomainRef.Uuid uuid) throws RemoteFailure {
        CommandResult result = shell.check(Command.of("virsh", "iothreadinfo").arg(uuid));
        Map<Integer, CpuSet> threads = new TreeMap<>();
        Matcher row = IOTHREAD_ROW.matcher(result.stdout());
        while (row.find()) {
            threads.put(Integer.parseInt(row.group(1)), cpuList(result, row.group(2)));
        }
        if (threads.isEmpty() && !result.stdout().startsWith(NO_IOTHREADS)) {
            throw RemoteFailure.commandFailed(result, "virsh iothreadinfo printed neither I/O threads nor '" + NO_IOTHREADS + "'");
        }
        return threads;
    }

    static void addIothread(RemoteShell shell, DomainRef.Uuid uuid, IothreadId id) throws RemoteFailure {
        shell.check(Command.of("virsh", "iothreadadd").arg(uuid).arg(id).literal("--live"));
    }

    static void deleteIothread(RemoteShell shell, DomainRef.Uuid uuid, IothreadId id) throws RemoteFailure {
        shell.check(Command.of("virsh", "iothreaddel").arg(uuid).arg(id).literal("--live"));
    }

    static void pinIothread(RemoteShell shell, DomainRef.Uuid uuid, IothreadId id, CpuSet cpuset) throws RemoteFailure {
        shell.check(Command.of("virsh", "iothreadpin").arg(uuid).arg(id).arg(cpuset).literal("--live"));
    }

    /** An I/O thread id: libvirt numbers them from 1. */
    record IothreadId(int value) implements RemoteArg {

        static IothreadId parse(String text) {
            return new IothreadId(Integer.parseInt(Values.matching("I/O thread id", text, ID, "a number from 1 to 99")));
        }

        @Override
        public String arg() {
            return Integer.toString(value);
        }
    }

    /**
     * The vCPU pins of every guest on the host: of the XML each runs with, or will start with when shut off.
     * Pins an emulator or I/O thread shares a CPU with make both compete for it. A guest's {@code <vcpu
     * cpuset='...'>} places every vCPU that has no {@code <vcpupin>} of its own, so it counts as a pin of those.
     */
    static List<VcpuPin> vcpuPins(RemoteShell shell) throws RemoteFailure {
        List<VcpuPin> pins = new ArrayList<>();
        for (DomainRef.Uuid uuid : Domains.resolve(shell, new DomainRef(DomainRef.ALL), false)) {
            Document xml = DomainXml.parse(Domains.liveXml(shell, uuid));
            Element cputune = DomainXml.child(xml.getDocumentElement(), "cputune");
            Element vcpu = DomainXml.child(xml.getDocumentElement(), "vcpu");
            try {
                List<Element> own = cputune == null ? List.of() : DomainXml.children(cputune, "vcpupin");
                for (Element pin : own) {
                    pins.add(new VcpuPin(DomainXml.name(xml), pin.getAttribute("vcpu"), CpuSet.ofHost(pin.getAttribute("cpuset"))));
                }
                if (vcpu != null && !vcpu.getAttribute("cpuset").isEmpty() && own.size() < Integer.parseInt(vcpu.getTextContent().strip())) {
                    pins.add(new VcpuPin(DomainXml.name(xml), null, CpuSet.ofHost(vcpu.getAttribute("cpuset"))));
                }
            } catch (IllegalArgumentException e) {
                throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, "the vCPU placement of domain " + uuid.value()
                        + " is unreadable: " + e.getMessage(), e);
            }
        }
        return pins;
    }

    static CpuSet cpuList(CommandResult result, String text) throws RemoteFailure {
        try {
            return CpuSet.ofHost(text);
        } catch (IllegalArgumentException e) {
            throw RemoteFailure.commandFailed(result, "virsh printed something that is not a CPU list: " + e.getMessage());
        }
    }
}
