package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Reserves huge pages. 2 MiB pages go through {@code sysctl vm.nr_hugepages} and a sysctl.d file of
 * Ballast's own; 1 GiB pages, which sysctl cannot address, through their sysfs knob and a tmpfiles.d
 * line that sets it again at boot. The kernel may grant fewer pages than asked when memory is
 * fragmented and says nothing: verify reads the real count and reports the shortfall.
 */
final class HugepagesStep extends TuningStep<HugepagesStep.Params> {

    private static final Pattern MEMINFO_TOTAL = Pattern.compile("(?m)^HugePages_Total:\\s+(\\d+)");
    private static final Pattern MEMINFO_SIZE = Pattern.compile("(?m)^Hugepagesize:\\s+(\\d+) kB");

    enum PageSize {
        SIZE_2M("2M", 2048), SIZE_1G("1G", 1048576);

        final String text;
        final long kib;

        PageSize(String text, long kib) {
            this.text = text;
            this.kib = kib;
        }

        static PageSize parse(String text) {
            for (PageSize size : values()) {
                if (size.text.equals(text)) {
                    return size;
                }
            }
            throw new IllegalArgumentException("'" + Values.printable(String.valueOf(text)) + "' is not a page size: 2M or 1G");
        }

        RemotePath knob() {
            return RemotePath.of("/sys/kernel/mm/hugepages/hugepages-" + kib + "kB/nr_hugepages");
        }
    }

    record Params(Count count, PageSize size) {
        RemotePath persistFile() {
            return size == PageSize.SIZE_2M ? RemotePath.of("/etc/sysctl.d/80-ballast-hugepages.conf")
                    : RemotePath.of("/etc/tmpfiles.d/ballast-hugepages-1G.conf");
        }

        String persistText() {
            return size == PageSize.SIZE_2M
                    ? "# Written by Ballast (step hugepages); removed by its rollback.\nvm.nr_hugepages = " + count.value() + "\n"
                    : "# Written by Ballast (step hugepages); removed by its rollback.\nw " + size.knob() + " - - - - "
                            + count.value() + "\n";
        }
    }

    @Override
    public String id() {
        return "hugepages";
    }

    @Override
    public String description() {
        return "Reserve huge pages (2M through sysctl and sysctl.d, 1G through sysfs and tmpfiles.d)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.required("count", "integer", "pages to reserve, 0 to 1000000", "[0-9]{1,7}"),
                ParameterSpec.choice("size", "page size", "2M", List.of("2M", "1G")));
    }

    @Override
    public Effect effect() {
        return Effect.IMMEDIATE;
    }

    @Override
    public boolean survivesReboot() {
        return true;
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("count", text -> Count.parse(text, 0, 1_000_000)),
                params.optional("size", "2M", PageSize::parse));
    }

    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        Map<RemotePath, String> files = HostFiles.readAll(shell, List.of(p.size().knob(), p.persistFile()));
        String count = files.get(p.size().knob());
        if (count == null) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the kernel offers no " + p.size().text + " huge pages");
        }
        return StepState.builder()
                .put("pages", count.strip())
                .put("persist", files.get(p.persistFile()))
                .build();
    }

    @Override
    public List<Drift> drift(StepState current, Params p) {
        List<Drift> drift = new ArrayList<>();
        if (!p.count().arg().equals(current.get("pages"))) {
            drift.add(new Drift("pages", p.count().arg(), current.get("pages")));
        }
        if (!Objects.equals(p.persistText(), current.facts().get("persist"))) {
            drift.add(new Drift("persist", p.persistText(), current.get("persist")));
        }
        return drift;
    }

    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        if (p.size() == PageSize.SIZE_2M) {
            long defaultKib = meminfo(shell, MEMINFO_SIZE);
            if (defaultKib != PageSize.SIZE_2M.kib) {
                throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the default huge page size is " + defaultKib
                        + " kB, so vm.nr_hugepages does not count 2M pages; use size 1G or change the default");
            }
        }
        setPages(shell, p.size(), p.count().arg());
        HostFiles.write(shell, p.persistFile(), p.persistText());
    }

    /** /proc/meminfo is the kernel's own account: what it really reserved, not what was asked. */
    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        long granted = p.size() == PageSize.SIZE_2M ? meminfo(shell, MEMINFO_TOTAL) : Long.parseLong(now.get("pages"));
        boolean applied = Objects.equals(p.persistText(), now.facts().get("persist"));
        boolean inEffect = granted == p.count().value();
        String note = inEffect ? granted + " pages of " + p.size().text + " reserved"
                : "the kernel reserved " + granted + " of " + p.count().value() + " pages of " + p.size().text
                        + (granted < p.count().value() ? " (not enough free contiguous memory)" : "");
        return new Verification(now, applied, inEffect, drift(now, p), note);
    }

    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure {
        setPages(shell, p.size(), Count.parse(captured.get("pages"), 0, Long.MAX_VALUE).arg());
        HostFiles.restore(shell, p.persistFile(), captured.absent("persist") ? null : captured.get("persist"));
    }

    private static void setPages(RemoteShell shell, PageSize size, String count) throws RemoteFailure {
        Count pages = Count.parse(count, 0, Long.MAX_VALUE);
        if (size == PageSize.SIZE_2M) {
            shell.check(Command.of("sysctl", "-w").arg("vm.nr_hugepages=", pages));
        } else {
            HostFiles.write(shell, size.knob(), pages.arg() + "\n");
        }
    }

    private static long meminfo(RemoteShell shell, Pattern field) throws RemoteFailure {
        String text = HostFiles.require(shell, RemotePath.of("/proc/meminfo"));
        Matcher matcher = field.matcher(text);
        if (!matcher.find()) {
            throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, "/proc/meminfo has no " + field.pattern(), null);
        }
        return Long.parseLong(matcher.group(1));
    }
}
