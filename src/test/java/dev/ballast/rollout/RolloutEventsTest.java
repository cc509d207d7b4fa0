package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.AdminTokenForTests;
import dev.ballast.ApplicationTest;
import dev.ballast.Poll;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;

/**
 * The rollout event stream as a client reads it, raw over HTTP: named events carrying only what changed,
 * and a client that drops the connection halfway and reconnects with the last id it saw misses no host's
 * change.
 */
@ApplicationTest
class RolloutEventsTest {

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(40);

    @TestHTTPResource("/")
    URL base;

    record Event(String name, String id, JsonPath data) {
    }

    static final String PLAN = """
                name: events-scheduler
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                waves: {canary: 1, sizes: [50%, 100%], maxWaveFailures: "1", maxTotalFailures: "1"}
                concurrency: 4
                """;

    @Test
    void aClientThatReconnectsWithTheLastIdSeesEveryHostChangeExactlyToTheEnd() throws Exception {
        LabFleetFixture.savePlan(PLAN);
        lab.fleet().host("lab-007").faults().failOn = "tee";
        long id = LabFleetFixture.startRollout("events-scheduler", "env=lab", "apply");

        // The first connection starts at the present and leaves after a few host changes; the second resumes.
        List<Event> first = read(id, null, events -> events.stream().filter(e -> e.name().equals("host")).count() >= 10);
        String last = first.get(first.size() - 1).id();
        // Hosts go on changing while no client listens: the second connection must bring those changes too.
        int doneAtBreak = done(id);
        Poll.until("five more hosts done while disconnected", Duration.ofSeconds(60), () -> done(id), d -> d >= doneAtBreak + 5);
        List<Event> second = read(id, last, events -> false);

        JsonPath end = LabFleetFixture.rollout(id);
        assertThat(end.getString("state")).isEqualTo("FAILED");
        assertThat(first.get(0).name()).as("a new client gets the rollout's state at once").isIn("wave", "rollout");
        assertThat(second).extracting(Event::name).contains("rollout", "wave", "host").containsOnly("rollout", "wave", "host");
        assertThat(second.get(second.size() - 1).data().getString("state")).isEqualTo("FAILED");

        // Every host's last change seen over both connections is its final state: nothing was lost at the break.
        Map<String, String> lastSeen = new LinkedHashMap<>();
        for (Event event : concat(first, second)) {
            if (event.name().equals("host")) {
                lastSeen.put(event.data().getString("host"), event.data().getString("state"));
            }
        }
        Map<String, String> finals = new LinkedHashMap<>();
        given().get("/api/rollouts/" + id + "/hosts?size=500").then().statusCode(200).extract().jsonPath()
                .getList("items", Map.class).forEach(item -> finals.put((String) item.get("host"), (String) item.get("state")));
        assertThat(finals).hasSize(40).containsEntry("lab-007", "FAILED");
        for (Map.Entry<String, String> host : finals.entrySet()) {
            if (lastSeen.containsKey(host.getKey())) {
                assertThat(lastSeen.get(host.getKey())).as(host.getKey()).isEqualTo(host.getValue());
            }
        }
        assertThat(lastSeen.keySet()).as("hosts that changed after the first connection opened")
                .hasSizeGreaterThanOrEqualTo(30);
        assertThat(second).as("the second connection carries no host change twice").filteredOn(e -> e.name().equals("host"))
                .extracting(Event::id).doesNotHaveDuplicates();
    }

    @Test
    void aLastEventIdThatIsNotOneOfOursIsABadRequestNamingTheHeader() {
        LabFleetFixture.savePlan(PLAN);
        long id = LabFleetFixture.startRollout("events-scheduler", "env=lab", "check");
        given().header("Last-Event-ID", "1; drop table host_task").get("/api/rollouts/" + id + "/events").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("Last-Event-ID"));
    }

    private static int done(long rollout) {
        Map<String, Integer> totals = LabFleetFixture.rollout(rollout).getMap("totals");
        return totals.getOrDefault("SUCCEEDED", 0) + totals.getOrDefault("FAILED", 0);
    }

    /** Reads the stream until it ends or {@code enough} holds, then drops the connection. */
    private List<Event> read(long rollout, String lastEventId, Predicate<List<Event>> enough) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "api/rollouts/" + rollout + "/events"))
                .header("Authorization", "Bearer " + AdminTokenForTests.token()).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(90));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Event> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (!line.isEmpty() && !line.startsWith(":")) {
                    throw new AssertionError("the stream sent a field its documentation does not name: " + line);
                } else if (line.isEmpty() && name != null) {
                    events.add(new Event(name, id, new JsonPath(data.toString())));
                    name = null;
                    data.setLength(0);
                    if (enough.test(events)) {
                        break;
                    }
                }
            }
        }
        return events;
    }

    private static List<Event> concat(List<Event> a, List<Event> b) {
        List<Event> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
