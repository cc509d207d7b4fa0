package dev.ballast;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.oneOf;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkus.arc.Arc;
import io.restassured.specification.RequestSpecification;

/**
 * Every application test class starts on an empty fleet: no host, no rollout, no sweep, as when each
 * class had a JVM and a PostgreSQL of its own. The classes now share one application and one database,
 * and most of them import hosts named lab-001... labelled env=lab and rack=rN, select by those labels,
 * count hosts or read the dashboard: whatever one class left would be selected, counted or shown by the
 * next. Runs before the class's first test, once the application is up and RestAssured knows its port,
 * and before the class's lab (QuarkusLab, registered later) imports anything. Plans, users, tokens,
 * identities and the audit trail stay: each class names its own, and the audit trail is append-only.
 */
public class EmptyFleet implements BeforeAllCallback, BeforeEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmptyFleet.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("emptied", new AtomicBoolean());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        if (context.getStore(NAMESPACE).get("emptied", AtomicBoolean.class).compareAndSet(false, true)) {
            empty();
        }
    }

    private static void empty() throws SQLException {
        // Through the API, which unschedules their Quartz triggers: a deleted row would leave a cron
        // sweep (SweepTest fires one every two seconds) starting runs in the classes after.
        List<Integer> sweeps = admin().get("/api/sweeps").then().statusCode(200).extract().path("id");
        for (int sweep : sweeps) {
            admin().delete("/api/sweeps/" + sweep).then().statusCode(204);
        }
        // A rollout still in motion (a test that failed half-way) is cancelled, and its hosts in flight
        // finish, before its rows go: a worker must never write the result of a task deleted under it.
        for (long rollout : ids("select id from rollout where state in ('PENDING', 'RUNNING', 'AWAITING_APPROVAL', 'PAUSED')")) {
            admin().post("/api/rollouts/" + rollout + "/cancel").then().statusCode(oneOf(200, 409));
        }
        Poll.until("no host task of an earlier test class runs", Duration.ofSeconds(60),
                () -> ids("select id from host_task where state = 'RUNNING'").isEmpty());
        try (Connection c = database().getConnection(); Statement s = c.createStatement()) {
            // Waves, host tasks, step results and rollback points go with their rollout (on delete
            // cascade); host_task refers to host, so rollouts go first.
            s.executeUpdate("delete from rollout");
            s.executeUpdate("delete from host");
            // Guests waiting for a cold restart are kept by host name, with no key to the host: a later
            // class's lab-001 would inherit an earlier one's (a host with tasks cannot be deleted in use).
            s.executeUpdate("delete from pending_restart");
        }
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + AdminTokenForTests.token());
    }

    private static List<Long> ids(String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = database().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    private static DataSource database() {
        return Arc.container().instance(DataSource.class).get();
    }
}
