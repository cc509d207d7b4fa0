package dev.ballast.plan;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;

/** Plans over the API: the samples validate, bad documents name their fields, versions grow on change. */
@ApplicationTest
class PlanApiTest {

    private static io.restassured.response.ValidatableResponse post(String yaml, String query) {
        return given().contentType("application/yaml").body(yaml.getBytes()).post("/api/plans" + query).then();
    }

    @Test
    void theSamplePlansValidate() throws IOException {
        for (String file : new String[] { "nvme-scheduler.yaml", "libvirt-cache.yaml", "storage-baseline-check.yaml" }) {
            post(Files.readString(Path.of("inventory/plans", file)), "?dryRun=true").statusCode(200);
        }
    }

    @Test
    void aChangedDocumentIsANewVersionAndAnEqualOneIsNot() {
        String v1 = "name: versioned\nsteps:\n  - step: hugepages\n    params: {count: \"16\"}\n";
        post(v1, "").statusCode(201).body("version", equalTo(1));
        post(v1, "").statusCode(200).body("version", equalTo(1));
        post(v1.replace("16", "32"), "").statusCode(201).body("version", equalTo(2));
        given().get("/api/plans/versioned").then().statusCode(200).body("version", equalTo(2))
                .body("plan.steps[0].params.count", equalTo("32"));
        given().get("/api/plans/versioned/versions/1").then().statusCode(200).body("plan.steps[0].params.count", equalTo("16"));
        given().get("/api/plans").then().body("name", hasItem("versioned"));
    }

    /** As the README says: wave sizes may be counts of hosts, and the last must be 100% so every host is reached. */
    @Test
    void waveSizesTakeCountsAndEndWith100Percent() {
        String plan = "name: counted\nsteps:\n  - step: hugepages\n    params: {count: \"16\"}\nwaves:\n  sizes: [5, SIZES]\n";
        post(plan.replace("SIZES", "20"), "?dryRun=true").statusCode(400)
                .body("errors.find { it.field == 'waves.sizes' }.message", containsString("must end with 100%"));
        post(plan.replace("SIZES", "100%"), "?dryRun=true").statusCode(200);
    }

    /** Sizes are cumulative: [50%, 10%, 100%] would make an empty second wave, and is refused at the size and its line. */
    @Test
    void decreasingWaveSizesAreRefusedAtTheirLine() {
        String plan = "name: shrinking\nsteps:\n  - step: hugepages\n    params: {count: \"16\"}\nwaves:\n  sizes:\n"
                + "    - 50%\n    - 10%\n    - 100%\n";
        post(plan, "?dryRun=true").statusCode(400).body("errors[0].field", equalTo("waves.sizes[1]"))
                .body("errors[0].line", equalTo(8)).body("errors[0].message", containsString("10% after 50%"));
        post(plan.replace("10%", "75%"), "?dryRun=true").statusCode(200);
    }

    /** Last-one-wins would store sda while a reviewer reads nvme0n1: a key given twice is refused, with its lines. */
    @Test
    void aKeyGivenTwiceIsRefusedNamingBothLines() {
        post("name: twice\nsteps:\n  - step: io-scheduler\n    params:\n      device: nvme0n1\n      device: sda\n", "")
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", endsWith("params.device")).body("errors[0].line", equalTo(6))
                .body("errors[0].message", containsString("given twice, on lines 5 and 6"));
        given().contentType("application/json")
                .body("{\"name\": \"twice-json\", \"steps\": [{\"step\": \"io-scheduler\", \"params\": {\"device\": \"nvme0n1\", \"device\": \"sda\"}}]}")
                .post("/api/plans").then().statusCode(400).body("errors[0].message", containsString("given twice"));
        given().get("/api/plans/twice").then().statusCode(404);
        given().get("/api/plans/twice-json").then().statusCode(404);
    }

    @Test
    void jsonIsAcceptedToo() {
        given().contentType("application/json")
                .body("{\"name\": \"as-json\", \"steps\": [{\"step\": \"io-scheduler\", \"params\": {\"device\": \"sda\"}}]}")
                .post("/api/plans").then().statusCode(201).body("plan.waves.canary", equalTo(1));
    }

    @Test
    void everyProblemIsReportedWithItsFieldAndLine() {
        String bad = """
                name: Bad_Name
                steps:
                  - step: io-scheduler
                    params: {device: "sda;reboot"}
                  - step: teleport
                  - step: hugepages
                    params: {count: "2048", colour: red}
                preflight:
                  - check: kernel
                    params: {min: "five"}
                waves:
                  sizes: [10%, 50%]
                  approval: sometimes
                  maxInFlightPerValue: 2
                  wavePerValue: true
                  fioMaxDropPercent: 10
                  pauseBetweenWaves: 5 minutes
                concurrency: 0
                extra: 1
                """;
        post(bad, "").statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("name", "steps[0].params.device", "steps[1].step", "steps[2].params.colour",
                        "preflight[0].params.min", "waves.sizes", "waves.approval", "waves.maxInFlightPerValue",
                        "waves.wavePerValue", "waves.fioMaxDropPercent",
                        "waves.pauseBetweenWaves", "concurrency", "extra"))
                .body("errors.find { it.field == 'steps[0].params.device' }.line", equalTo(3));
        given().get("/api/plans/Bad_Name").then().statusCode(400);
        given().get("/api/plans/missing-plan").then().statusCode(404);
    }

    @Test
    void brokenYamlIsAProblemNotAnError() {
        post("name: x\nsteps: [unclosed\n", "").statusCode(400).body("errors[0].field", equalTo("yaml"));
        post("", "").statusCode(400);
        post("- just\n- a list\n", "").statusCode(400);
    }
}
