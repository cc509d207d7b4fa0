package dev.ballast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ballast.Poll;
import dev.ballast.PostgresTestResource;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.LabHost;
import dev.ballast.postgres.LocalPostgres;

/**
 * Ballast as operators run it: separate processes on one PostgreSQL, against a lab fleet that outlives
 * them. A process killed with SIGKILL mid-wave loses nothing; two processes share one rollout and run
 * each host once.
 */
class ClusterIT {

    static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    static final Pattern STATE = Pattern.compile("\"state\":\"([A-Z_]+)\"");

    Path dataDir;
    LocalPostgres postgres;
    LabFleet fleet;
    final List<BallastProcess> processes = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        dataDir = Files.createTempDirectory("ballast-cluster-pg");
        postgres = LocalPostgres.start(new LocalPostgres.Options(dataDir, "auto", 0, false));
    }

    @AfterEach
    void stop() throws Exception {
        for (BallastProcess process : processes) {
            process.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        postgres.close();
        // Each test's cluster is ~40 MB; a run of the suite used to leave three behind in /tmp.
        PostgresTestResource.deleteRecursively(dataDir);
    }

    private BallastProcess ballast(String instance) throws Exception {
        BallastProcess process = new BallastProcess(instance, postgres.jdbcUrl(), postgres.user(), postgres.password());
        processes.add(process);
        return process;
    }

    /** A lab fleet authorizing Ballast's default identity, imported, with a plan saved. */
    private void prepare(BallastProcess ballast, int hosts, Duration latency) throws Exception {
        String identity = ballast.get("/api/identities/default").body();
        Matcher key = Pattern.compile("\"publicKey\":\"([^\"]+)\"").matcher(identity);
        assertThat(key.find()).isTrue();
        fleet = LabFleet.start(hosts, key.group(1));
        fleet.hosts().forEach(h -> h.faults().commandLatency = latency);
        assertThat(ballast.post("/api/inventory/import?format=ballast", "application/yaml", fleet.inventoryYaml()).statusCode())
                .isEqualTo(200);
        assertThat(ballast.post("/api/plans", "application/yaml", """
                name: sched
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                  - step: hugepages
                    params: {count: "512"}
                waves:
                  canary: 1
                  sizes: [100%]
                concurrency: 12
                """).statusCode()).isEqualTo(201);
    }

    private static long startRollout(BallastProcess ballast) throws Exception {
        String created = ballast.post("/api/rollouts", "application/json",
                "{\"plan\":\"sched\",\"selector\":\"env=lab\",\"mode\":\"apply\"}").body();
        Matcher id = ID.matcher(created);
        assertThat(id.find()).as(created).isTrue();
        return Long.parseLong(id.group(1));
    }

    private static String awaitEnd(BallastProcess ballast, long id, Duration timeout) {
        String body = Poll.until("rollout " + id + " ended", timeout, () -> ballast.get("/api/rollouts/" + id).body(),
                answer -> state(answer).filter(List.of("SUCCEEDED", "FAILED", "HALTED")::contains).isPresent());
        return state(body).orElseThrow();
    }

    private static Optional<String> state(String rollout) {
        Matcher state = STATE.matcher(rollout);
        return state.find() ? Optional.of(state.group(1)) : Optional.empty();
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private Map<String, Long> byHost(String sql) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                counts.put(r.getString(1), r.getLong(2));
            }
        }
        return counts;
    }

    private void assertEveryHostChangedOnceAndOnlyOnce(int hosts) throws SQLException {
        assertThat(count("select count(*) from host_task where state = 'SUCCEEDED'")).isEqualTo(hosts);
        for (String step : List.of("io-scheduler", "hugepages")) {
            Map<String, Long> applied = byHost("select t.host_name, count(*) from step_result r join host_task t on t.id = r.task_id "
                    + "where r.kind = 'STEP' and r.name = '" + step + "' and r.outcome = 'APPLIED' group by t.host_name");
            assertThat(applied).as("one applied result per host for " + step).hasSize(hosts).allSatisfy((h, n) -> assertThat(n).isEqualTo(1));
        }
        assertThat(count("select count(*) from rollback_point")).as("a rollback point per host and step").isEqualTo(2L * hosts);
        assertThat(count("select count(*) from rollback_point where captured ->> 'pages' = '0'")).isEqualTo(hosts);
        for (LabHost host : fleet.hosts()) {
            assertThat(host.mostConcurrentSessions()).as(host.name() + " was never worked on twice at once").isEqualTo(1);
            assertThat(host.state().scheduler("nvme0n1")).isEqualTo("none");
            assertThat(host.state().hugepages2m()).isEqualTo(512);
        }
        assertThat(fleet.surprises()).isEmpty();
    }

    @Test
    void aProcessKilledMidWaveLosesNothingAndChangesNoHostTwice() throws Exception {
        BallastProcess first = ballast("first");
        prepare(first, 60, Duration.ofMillis(120));
        long id = startRollout(first);
        // Asked often: the kill must land while hosts are in flight.
        Poll.until("15 hosts done and 3 in flight", Duration.ofSeconds(60), Duration.ofMillis(20),
                () -> count("select count(*) from host_task where state = 'SUCCEEDED'") >= 15
                        && count("select count(*) from host_task where state = 'RUNNING'") >= 3,
                Boolean::booleanValue);
        first.kill();
        long orphaned = count("select count(*) from host_task where state = 'RUNNING' and lease_owner = 'first'");
        assertThat(orphaned).as("hosts in flight when the process died").isPositive();
        String killedLines = "select count(*) from step_result r join host_task t on t.id = r.task_id"
                + " where t.lease_owner = 'first' and t.state = 'RUNNING' and r.attempt = t.attempt";
        long linesOfTheKilled = count(killedLines);

        BallastProcess second = ballast("second");
        assertThat(awaitEnd(second, id, Duration.ofSeconds(120))).isEqualTo("SUCCEEDED");
        assertEveryHostChangedOnceAndOnlyOnce(60);
        assertThat(count("select count(*) from host_task where attempt = 2")).as("tasks taken over after the kill")
                .isEqualTo(orphaned);
        assertThat(count("select count(*) from step_result where attempt = 1 and instance = 'first'"
                + " and task_id in (select id from host_task where attempt = 2)"))
                .as("what the killed attempts recorded stays in their hosts' history").isEqualTo(linesOfTheKilled);
        assertThat(count("select count(distinct instance) from step_result")).isEqualTo(2);
    }

    @Test
    void twoProcessesShareOneRolloutAndRunEachHostOnce() throws Exception {
        BallastProcess first = ballast("first");
        BallastProcess second = ballast("second");
        prepare(first, 60, Duration.ofMillis(30));
        long id = startRollout(second);
        assertThat(awaitEnd(first, id, Duration.ofSeconds(120))).isEqualTo("SUCCEEDED");
        assertEveryHostChangedOnceAndOnlyOnce(60);
        assertThat(count("select count(*) from host_task where attempt <> 1")).isZero();
        assertThat(byHost("select instance, count(distinct task_id) from step_result group by instance"))
                .as("both processes ran hosts").containsOnlyKeys("first", "second");
    }

    @Test
    void twoProcessesFireEachSweepTimeOnce() throws Exception {
        BallastProcess first = ballast("first");
        BallastProcess second = ballast("second");
        prepare(first, 4, Duration.ZERO);
        assertThat(second.post("/api/sweeps", "application/json", "{\"name\":\"every-second\",\"cron\":\"* * * * * ?\","
                + "\"selector\":\"env=lab\",\"plan\":\"sched\"}").statusCode()).isEqualTo(201);
        // Five fire times at least, seen by both processes, one of them run to its end.
        Poll.until("five sweep runs, one done", Duration.ofSeconds(30), Duration.ofMillis(250),
                () -> count("select count(*) from sweep_run") >= 5 && count("select count(*) from sweep_run where state = 'DONE'") > 0,
                Boolean::booleanValue);
        assertThat(count("select count(*) from sweep_run")).as("a run per second, started or skipped").isGreaterThanOrEqualTo(5);
        assertThat(count("select coalesce(sum(duplicate_firings), 0) from sweep_run")).as("no time fired twice").isZero();
        assertThat(count("select count(*) from sweep_run where state = 'DONE'")).isPositive();
    }
}
