package dev.ballast.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.ballast.compliance.DriftEntry;
import dev.ballast.compliance.SweepDefinition;
import dev.ballast.compliance.SweepDefinitions;
import dev.ballast.compliance.SweepReports;
import dev.ballast.compliance.SweepRun;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The sweeps page's panels: each sweep with its runs oldest first (the chart's series and their table) and
 * its last finished run's drift grouped by host, so 300 drifted facts read as the hosts they are on.
 */
@ApplicationScoped
class SweepPanels {

    /** How many runs the chart draws. */
    static final int RUNS = 30;

    /** One host's drifted facts in a run, and the steps they belong to (what the step filter matches). */
    public record HostDrift(String host, List<DriftEntry> facts, List<String> steps) {
        public String stepList() {
            return String.join(" ", steps);
        }
    }

    public record Panel(SweepDefinition sweep, List<SweepRun> runs, SweepRun last, List<HostDrift> hosts, List<String> steps) {
        /** The drifted facts of the last run, over all hosts. */
        public int facts() {
            return hosts.stream().mapToInt(h -> h.facts().size()).sum();
        }
    }

    private final SweepDefinitions sweeps;
    private final SweepReports reports;

    SweepPanels(SweepDefinitions sweeps, SweepReports reports) {
        this.sweeps = sweeps;
        this.reports = reports;
    }

    List<Panel> all() {
        List<Panel> panels = new ArrayList<>();
        for (SweepDefinition sweep : sweeps.list()) {
            List<SweepRun> runs = new ArrayList<>(reports.runs(sweep.id(), RUNS));
            runs.sort(Comparator.comparing(SweepRun::scheduledFor));
            SweepRun last = runs.stream().filter(r -> r.state().equals("DONE")).reduce((a, b) -> b).orElse(null);
            List<DriftEntry> drift = last == null ? List.of() : reports.drift(sweep.id(), last.id());
            Map<String, List<DriftEntry>> byHost = new LinkedHashMap<>();
            drift.forEach(d -> byHost.computeIfAbsent(d.host(), h -> new ArrayList<>()).add(d));
            List<HostDrift> hosts = byHost.entrySet().stream().map(e -> new HostDrift(e.getKey(), e.getValue(),
                    e.getValue().stream().map(DriftEntry::step).distinct().toList())).toList();
            panels.add(new Panel(sweep, runs, last, hosts,
                    List.copyOf(new TreeSet<>(drift.stream().map(DriftEntry::step).toList()))));
        }
        return panels;
    }
}
