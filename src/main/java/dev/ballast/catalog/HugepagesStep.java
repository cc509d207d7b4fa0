package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.ballast.remote.Command;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Reserves huge pages. 2 MiB pages go through {@code sysctl vm.nr_hugepages} and a sysctl.d file of
 * Ballast's own; the kernel may grant fewer than asked when memory is fragmented and says nothing, so
 * verify reads the real count and a shortfall fails the host (which is rolled back). 1 GiB pages are
 * persisted for boot only, in a tmpfiles.d line: a host that has run a while almost never holds 1 GiB
 * of contiguous free memory, so they are reported applied and taking effect at the next boot, never
 * claimed in effect before. Either size is refused, before anything changes, when the pages asked would
 * leave less MemAvailable than the reserve (a parameter; by default the larger of 10% of RAM and 2 GiB):
 * a starved host OOM-kills its guests.
 */
final class HugepagesStep extends TuningStep<HugepagesStep.Params> {

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

    /** The reserve is null when not given: then it is worked out from the host's RAM. */
    record Params(Count count, PageSize size, Size reserve) {
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
                ParameterSpec.choice("size", "page size", "2M", List.of("2M", "1G")),
                ParameterSpec.optional("reserve", "size", "MemAvailable the pages must leave free, such as 32G (default: "
                        + "the larger of 10% of RAM and 2G)", null, "[1-9][0-9]{0,6}[MGT]"));
    }

    @Override
    public Effect effect() {
        return Effect.IMMEDIATE;
    }

    @Override
    public Effect effect(Params p) {
        return p.size() == PageSize.SIZE_1G ? Effect.NEXT_HOST_REBOOT : Effect.IMMEDIATE;
    }

    @Override
    public boolean survivesReboot() {
        return true;
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("count", text -> Count.parse(text, 0, 1_000_000)),
                params.optional("size", "2M", PageSize::parse), params.optional("reserve", null, t -> t == null ? null : new Size(t)));
    }

    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        // 2M pages are also what the kernel command line reserves at boot: read in the same command.
        Map<RemotePath, String> files = HostFiles.readAll(shell, p.size() == PageSize.SIZE_2M
                ? List.of(p.size().knob(), p.persistFile(), HugepagesAtBoot.CMDLINE) : List.of(p.size().knob(), p.persistFile()));
        String count = files.get(p.size().knob());
        if (count == null) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the kernel offers no " + p.size().text + " huge pages");
        }
        StepState.Builder state = StepState.builder()
                .put("pages", count.strip())
                .put("persist", files.get(p.persistFile()));
        if (p.size() == PageSize.SIZE_2M) {
            Optional<HugepagesAtBoot.Setting> boot = HugepagesAtBoot.winner(
                    HugepagesAtBoot.read(shell, files.get(HugepagesAtBoot.CMDLINE)));
            state.put("boot", String.valueOf(boot.map(HugepagesAtBoot.Setting::value).orElse(0L)))
                    .put("bootFile", boot.map(HugepagesAtBoot.Setting::file).orElse(null));
        }
        return state.build();
    }

    /** For 1G pages only the boot configuration is compared: the pages themselves come with the next boot. */
    @Override
    public List<Drift> drift(StepState current, Params p) {
        List<Drift> drift = new ArrayList<>();
        if (p.size() == PageSize.SIZE_2M && !p.count().arg().equals(current.get("pages"))) {
            drift.add(new Drift("pages", p.count().arg(), current.get("pages")));
        }
        if (!Objects.equals(p.persistText(), current.facts().get("persist"))) {
            drift.add(new Drift("persist", p.persistText(), current.get("persist")));
        }
        if (p.size() == PageSize.SIZE_2M && !p.count().arg().equals(current.facts().get("boot"))) {
            drift.add(new Drift("boot", p.count().arg(), current.get("boot")));
        }
        return drift;
    }

    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        Meminfo memory = Meminfo.read(shell);
        if (p.size() == PageSize.SIZE_2M && memory.hugePageKib() != PageSize.SIZE_2M.kib) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the default huge page size is " + memory.hugePageKib()
                    + " kB, so vm.nr_hugepages does not count 2M pages; use size 1G or change the default");
        }
        checkHeadroom(p, Long.parseLong(before.get("pages")), memory);
        if (p.size() == PageSize.SIZE_2M) {
            checkBootKeeps(shell, p);
            setPages(shell, p.count().arg());
        }
        HostFiles.write(shell, p.persistFile(), p.persistText());
    }

    /** Refuses pages that would leave the host less MemAvailable than the reserve: the guests would be OOM-killed. */
    private static void checkHeadroom(Params p, long current, Meminfo memory) throws StepRefusal {
        long moreKib = (p.count().value() - current) * p.size().kib;
        long reserveKib = p.reserve() != null ? p.reserve().bytes() / 1024 : Math.max(memory.totalKib() / 10, 2 * Meminfo.GIB_KIB);
        if (moreKib > 0 && memory.availableKib() - moreKib < reserveKib) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, p.count().value() + " pages of " + p.size().text + " take "
                    + Meminfo.gib(moreKib) + " more than the " + current + " reserved now, which would leave "
                    + Meminfo.gib(Math.max(0, memory.availableKib() - moreKib)) + " of the " + Meminfo.gib(memory.availableKib())
                    + " MemAvailable, less than the reserve of " + Meminfo.gib(reserveKib) + "; ask for fewer pages, free "
                    + "memory first, or set the step's reserve");
        }
    }

    /**
     * Refuses a count the next boot would undo: a file read after Ballast's sets the key again, and guests
     * backed by the pages would not start after a reboot. The operator removes that line or makes it agree.
     */
    private static void checkBootKeeps(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        HugepagesAtBoot.Setting last = HugepagesAtBoot.winner(
                HugepagesAtBoot.withOwn(HugepagesAtBoot.read(shell), p.persistFile(), p.count().value())).orElseThrow();
        if (last.value() != p.count().value()) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, last.describe() + " and is read after " + p.persistFile()
                    + ", so the next boot would reserve " + last.value() + " pages of 2M, not " + p.count().value()
                    + ", and guests backed by them would not start; remove that line or make it agree");
        }
    }

    /** /proc/meminfo is the kernel's own account: what it really reserved, not what was asked. */
    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        long granted = p.size() == PageSize.SIZE_2M ? Meminfo.read(shell).hugePagesTotal() : Long.parseLong(now.get("pages"));
        boolean applied = Objects.equals(p.persistText(), now.facts().get("persist"))
                && (p.size() == PageSize.SIZE_1G || p.count().arg().equals(now.facts().get("boot")));
        boolean inEffect = granted == p.count().value();
        String note;
        if (inEffect) {
            note = granted + " pages of " + p.size().text + " reserved";
        } else if (p.size() == PageSize.SIZE_1G) {
            note = "applied; takes effect at the next boot, which reserves the " + p.count().value() + " pages of 1G ("
                    + granted + " now)";
        } else {
            note = "the kernel reserved " + granted + " of " + p.count().value() + " pages of 2M"
                    + (granted < p.count().value() ? " (not enough free contiguous memory)" : "");
        }
        return new Verification(now, applied, inEffect, drift(now, p), note);
    }

    /** Puts the count back (2M; 1G pages were never changed at runtime) and the boot configuration. */
    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure {
        if (p.size() == PageSize.SIZE_2M) {
            setPages(shell, captured.get("pages"));
        }
        HostFiles.restore(shell, p.persistFile(), captured.absent("persist") ? null : captured.get("persist"));
    }

    private static void setPages(RemoteShell shell, String count) throws RemoteFailure {
        shell.check(Command.of("sysctl", "-w").arg("vm.nr_hugepages=", Count.parse(count, 0, Long.MAX_VALUE)));
    }
}
