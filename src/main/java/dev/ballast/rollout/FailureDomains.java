package dev.ballast.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rollout's hosts grouped by the value of one label ({@code label}, e.g. rack), with the label keys the
 * hosts have to group by instead. A domain with an empty value holds the hosts without that label.
 */
public record FailureDomains(String label, List<String> labels, List<Domain> domains) {

    /** One value of the label: its hosts with their task states, and the count per state. */
    public record Domain(String value, Map<String, Integer> counts, List<Member> hosts) {
        static Domain of(String value) {
            return new Domain(value, new TreeMap<>(), new ArrayList<>());
        }

        void add(String host, String state) {
            hosts.add(new Member(host, state));
            counts.merge(state, 1, Integer::sum);
        }
    }

    public record Member(String host, String state) {
    }
}
