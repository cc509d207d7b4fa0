package dev.ballast.inventory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;

/** The inventories shipped in inventory/ import as the README says. */
@ApplicationTest
class SampleInventoriesTest {

    @Test
    void theFiftyHostFleetImports() throws IOException {
        given().contentType("application/yaml").body(Files.readAllBytes(Path.of("inventory/fleet-50.yaml")))
                .post("/api/inventory/import?dryRun=true")
                .then().statusCode(200)
                .body("format", equalTo("ballast"))
                .body("hosts.size()", equalTo(50));
    }

    @Test
    void theAnsibleExampleImports() throws IOException {
        given().contentType("text/plain").body(Files.readString(Path.of("inventory/ansible-example.ini")))
                .post("/api/inventory/import?format=ansible-ini&dryRun=true")
                .then().statusCode(200)
                .body("hosts.size()", equalTo(19))
                .body("hosts.name", hasItem("st3.dc2.example"));
    }
}
