package dev.ballast.rollout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ballast.plan.WavePolicy;

/**
 * Splits the hosts of a rollout into waves: the canary first (a count, or one host for every distinct
 * value of the chosen labels), then waves that bring the rollout to each cumulative size. With a spread
 * label the hosts are dealt round-robin over its values, so no wave is one rack; or, asked for, each
 * wave is exactly one value (one rack per wave). Pure: same hosts and
 * policy, same waves.
 */
final class WavePlanner {

    /** A host as the planner sees it. */
    record Candidate(long id, String name, Map<String, String> labels) {
    }

    private WavePlanner() {
    }

    static List<List<Candidate>> plan(List<Candidate> hosts, WavePolicy policy) {
        List<Candidate> remaining = new ArrayList<>(hosts);
        List<List<Candidate>> waves = new ArrayList<>();
        List<Candidate> canary = canary(remaining, policy);
        remaining.removeAll(canary);
        if (!canary.isEmpty()) {
            waves.add(canary);
        }
        if (policy.wavePerValue()) {
            waves.addAll(byValue(remaining, policy.spreadLabel()).values().stream().map(ArrayList::new).toList());
            return waves;
        }
        Deque<Candidate> order = new ArrayDeque<>(policy.spreadLabel() == null ? remaining : dealt(remaining, policy.spreadLabel()));
        int taken = canary.size();
        for (WavePolicy.Amount size : policy.sizes()) {
            int target = Math.min(hosts.size(), size.of(hosts.size()));
            List<Candidate> wave = new ArrayList<>();
            while (taken < target && !order.isEmpty()) {
                wave.add(order.poll());
                taken++;
            }
            if (!wave.isEmpty()) {
                waves.add(wave);
            }
        }
        if (!order.isEmpty()) {
            waves.add(new ArrayList<>(order));
        }
        return waves;
    }

    private static List<Candidate> canary(List<Candidate> hosts, WavePolicy policy) {
        List<Candidate> canary = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (Candidate host : hosts) {
            boolean coversSomething = false;
            for (String label : policy.canaryCoverLabels()) {
                String value = host.labels().get(label);
                coversSomething |= value != null && covered.add(label + "=" + value);
            }
            if (coversSomething) {
                canary.add(host);
            }
        }
        for (Candidate host : hosts) {
            if (canary.size() >= Math.min(policy.canary(), hosts.size())) {
                break;
            }
            if (!canary.contains(host)) {
                canary.add(host);
            }
        }
        return canary;
    }

    /** The hosts grouped by the label's value, values in order of first appearance. */
    private static Map<String, Deque<Candidate>> byValue(List<Candidate> hosts, String label) {
        Map<String, Deque<Candidate>> byValue = new LinkedHashMap<>();
        hosts.forEach(h -> byValue.computeIfAbsent(h.labels().getOrDefault(label, ""), v -> new ArrayDeque<>()).add(h));
        return byValue;
    }

    /** Round-robin over the label's values, so consecutive hosts come from different racks where possible. */
    private static List<Candidate> dealt(List<Candidate> hosts, String label) {
        Map<String, Deque<Candidate>> byValue = byValue(hosts, label);
        List<Candidate> dealt = new ArrayList<>(hosts.size());
        while (dealt.size() < hosts.size()) {
            for (Deque<Candidate> queue : byValue.values()) {
                if (!queue.isEmpty()) {
                    dealt.add(queue.poll());
                }
            }
        }
        return dealt;
    }
}
