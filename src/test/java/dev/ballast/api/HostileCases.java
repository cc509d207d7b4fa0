package dev.ballast.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.restassured.path.json.JsonPath;

/**
 * The record of a hostile-input run: every case's answer, judged against what a client is owed. A case is
 * a fault when it got a 5xx, another status than expected, a body that is not a problem (or, for the UI,
 * not an HTML page) where one is due, or a problem that does not name the field at fault.
 */
final class HostileCases {

    /** What the connection gave instead of an answer: the server closed it (a body deadline, a refused body). */
    static final int CLOSED = -1;

    enum Answer {
        /** application/problem+json whose status is the answer's. */
        PROBLEM,
        /** text/html: the UI's error page. */
        PAGE,
        /** a problem, or the connection closed without an answer. */
        PROBLEM_OR_CLOSED,
        /**
         * any body: a success where the input is acceptable, or a 4xx of the HTTP codec, which has no body of ours
         * (README, Errors); the codec may also close the connection before the client has sent all it meant to.
         */
        ANY
    }

    record Expect(Set<Integer> statuses, Answer answer, String field) {
        static Expect problem(String field, Integer... statuses) {
            return new Expect(Set.of(statuses), Answer.PROBLEM, field);
        }

        static Expect page(Integer... statuses) {
            return new Expect(Set.of(statuses), Answer.PAGE, null);
        }

        static Expect problemOrClosed(Integer... statuses) {
            return new Expect(Set.of(statuses), Answer.PROBLEM_OR_CLOSED, null);
        }

        static Expect any(Integer... statuses) {
            return new Expect(Set.of(statuses), Answer.ANY, null);
        }
    }

    record Outcome(String category, String what, int status, String fault) {
        @Override
        public String toString() {
            return category + " | " + what + " -> " + (status == CLOSED ? "closed" : status) + (fault == null ? "" : ": " + fault);
        }
    }

    private final Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();

    synchronized Outcome record(String category, String what, int status, String contentType, String body, Expect expect) {
        Outcome outcome = new Outcome(category, what, status, judge(status, contentType, body, expect));
        outcomes.computeIfAbsent(category, c -> new ArrayList<>()).add(outcome);
        return outcome;
    }

    synchronized List<Outcome> faults(String category) {
        return outcomes.getOrDefault(category, List.of()).stream().filter(o -> o.fault() != null).toList();
    }

    synchronized int count(String category) {
        return outcomes.getOrDefault(category, List.of()).size();
    }

    /** One line per category with its answers by status, then the total. */
    synchronized List<String> summary() {
        List<String> lines = new ArrayList<>();
        outcomes.forEach((category, list) -> lines.add("hostile input, " + category + ": " + list.size() + " cases, answers "
                + list.stream().collect(Collectors.groupingBy(o -> o.status() == CLOSED ? "closed" : String.valueOf(o.status()),
                        TreeMap::new, Collectors.counting()))
                + ", faults " + list.stream().filter(o -> o.fault() != null).count()));
        List<Outcome> all = outcomes.values().stream().flatMap(List::stream).toList();
        lines.add("hostile input: " + outcomes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size())
                .collect(Collectors.joining(", ")) + "; total " + all.size() + ", 5xx: "
                + all.stream().filter(o -> o.status() >= 500).count() + ", faults: "
                + all.stream().filter(o -> o.fault() != null).count());
        return lines;
    }

    private static String judge(int status, String contentType, String body, Expect expect) {
        if (status >= 500) {
            return "a server error: " + abbreviated(body);
        }
        if (status == CLOSED) {
            return expect.answer() == Answer.PROBLEM_OR_CLOSED || expect.answer() == Answer.ANY ? null : "closed without an answer";
        }
        if (!expect.statuses().isEmpty() && !expect.statuses().contains(status)) {
            return "expected " + expect.statuses() + ": " + abbreviated(body);
        }
        String type = contentType == null ? "" : contentType;
        return switch (expect.answer()) {
            case PAGE -> type.startsWith("text/html") ? null : "not an HTML page but '" + type + "'";
            case ANY -> null;
            default -> problemFault(status, type, body, expect.field());
        };
    }

    private static String problemFault(int status, String contentType, String body, String field) {
        if (!contentType.startsWith("application/problem+json")) {
            return "not a problem but '" + contentType + "': " + abbreviated(body);
        }
        JsonPath problem = new JsonPath(body);
        if (problem.getInt("status") != status || !String.valueOf(problem.getString("type")).startsWith("urn:ballast:problem:")) {
            return "a problem without its status or type: " + abbreviated(body);
        }
        List<String> fields = problem.getList("errors.field", String.class);
        if (field != null && (fields == null || !fields.contains(field))) {
            return "does not name the field '" + field + "' but " + fields + ": " + abbreviated(body);
        }
        return null;
    }

    private static String abbreviated(String body) {
        String text = body == null ? "" : body.replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
