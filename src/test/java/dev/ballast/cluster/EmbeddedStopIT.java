package dev.ballast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

/**
 * Ballast started as the README's run command starts it (its own PostgreSQL, a demo lab) and stopped
 * with SIGTERM while a rollout runs: every loop that uses the database stops before the database does,
 * so a clean stop logs no error, and no PostgreSQL process outlives Ballast.
 */
class EmbeddedStopIT {

    @Test
    void aCleanStopWhileARolloutRunsLogsNoErrorAndLeavesNoPostgres() throws Exception {
        BallastProcess ballast = BallastProcess.embedded("embedded", 6);
        String plan = """
                name: stop-while-running
                steps:
                  - step: hugepages
                    params: {count: "64"}
                waves: {canary: 1, sizes: [100%], pauseBetweenWaves: 1h}
                """;
        assertThat(ballast.post("/api/plans", "application/yaml", plan).statusCode()).isEqualTo(201);
        String created = ballast.post("/api/rollouts", "application/json",
                "{\"plan\": \"stop-while-running\", \"selector\": \"env=lab\", \"mode\": \"apply\"}").body();
        Matcher id = ClusterIT.ID.matcher(created);
        assertThat(id.find()).as(created).isTrue();
        // The canary ends and the next wave waits out its pause: the coordinator and the claimer keep polling.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String rollout = "";
        while (!rollout.contains("\"notBefore\":\"") && System.nanoTime() < deadline) {
            rollout = ballast.get("/api/rollouts/" + id.group(1)).body();
            Thread.sleep(100);
        }
        assertThat(rollout).as("the second wave waits for its pause").contains("\"notBefore\":\"");
        assertThat(postgresProcesses(ballast)).as("the embedded PostgreSQL runs").isNotBlank();

        ballast.close();

        List<String> errors = Files.readAllLines(ballast.log).stream().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(errors).as("errors logged by a clean stop").isEmpty();
        assertThat(Files.readString(ballast.log)).contains("stopped in");
        assertThat(postgresProcesses(ballast)).as("PostgreSQL processes left behind").isBlank();
    }

    /** PostgreSQL servers whose data directory lies in this Ballast process's own directory. */
    private static String postgresProcesses(BallastProcess ballast) throws Exception {
        Process pgrep = new ProcessBuilder("pgrep", "-f", "postgres -D " + ballast.log.getParent()).redirectErrorStream(true)
                .start();
        String out = new String(pgrep.getInputStream().readAllBytes()).strip();
        pgrep.waitFor();
        return out;
    }
}
