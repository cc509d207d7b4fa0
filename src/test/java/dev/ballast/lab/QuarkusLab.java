package dev.ballast.lab;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.ballast.AdminTokenForTests;
import io.restassured.specification.RequestSpecification;

/**
 * A lab that the test application works on, for one application test class, as a JUnit extension on a
 * static field ({@code @RegisterExtension static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(8);}).
 * It starts before the class's first test, authorizing the application's default identity, and not in a
 * BeforeAll: RestAssured knows the test application's port only from the first BeforeEach on. Its hosts
 * are imported into the inventory, then the class's own once-only arrangement runs ({@link #onceStarted}).
 * After each test every fault is cleared and no command may have reached the lab that it does not
 * simulate; after the class the lab stops. The hosts stay in the inventory until the next class starts
 * on an empty fleet ({@link dev.ballast.EmptyFleet}).
 */
public final class QuarkusLab<L extends AutoCloseable> implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** Starts a lab whose hosts accept the given public key. */
    public interface Starter<L> {
        L start(String publicKey) throws Exception;
    }

    /** What the inventory import is given for a started lab. */
    public interface Inventory<L> {
        String of(L lab) throws Exception;
    }

    /** Work done once, after the lab has started and been imported. */
    public interface Setup<L> {
        void run(L lab) throws Exception;
    }

    private final Starter<L> starter;
    private final Inventory<L> inventory;
    private final Consumer<L> afterEach;
    private Setup<L> setup = lab -> {
    };
    private L lab;
    private Throwable setupFailure;

    private QuarkusLab(Starter<L> starter, Inventory<L> inventory, Consumer<L> afterEach) {
        this.starter = starter;
        this.inventory = inventory;
        this.afterEach = afterEach;
    }

    /** {@code hosts} Java lab hosts (lab-001...), imported into the inventory. */
    public static QuarkusLab<LabFleet> imported(int hosts) {
        return new QuarkusLab<>(key -> LabFleet.start(hosts, key), LabFleet::inventoryYaml, QuarkusLab::clearedAndUnsurprised);
    }

    /** {@code hosts} Java lab hosts that the test registers in the inventory itself, each as it needs. */
    public static QuarkusLab<LabFleet> notImported(int hosts) {
        return new QuarkusLab<>(key -> LabFleet.start(hosts, key), null, QuarkusLab::clearedAndUnsurprised);
    }

    /** {@code hosts} real OpenSSH hosts of deploy/lab (hv-001.lab...), imported; skipped without root and sshd, except under CI. */
    public static QuarkusLab<RealSshdLab> realSshd(int hosts) {
        return new QuarkusLab<>(key -> RealSshdLab.up(hosts, key), RealSshdLab::ballastInventory, lab -> {
        });
    }

    /** Runs {@code setup} once, after the lab has been imported; if it fails, every test of the class fails with it. */
    public QuarkusLab<L> onceStarted(Setup<L> setup) {
        this.setup = setup;
        return this;
    }

    public L fleet() {
        return lab;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (lab == null) {
            String publicKey = admin().get("/api/identities/default").then().statusCode(200).extract().path("publicKey");
            lab = starter.start(publicKey);
            try {
                if (inventory != null) {
                    admin().contentType("application/yaml").body(inventory.of(lab).getBytes())
                            .post("/api/inventory/import?format=ballast").then().statusCode(200);
                }
                setup.run(lab);
            } catch (Throwable e) {
                setupFailure = e;
            }
        }
        if (setupFailure instanceof Error error) {
            throw error;
        }
        if (setupFailure != null) {
            throw (Exception) setupFailure;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (lab != null) {
            afterEach.accept(lab);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    private static void clearedAndUnsurprised(LabFleet fleet) {
        fleet.hosts().forEach(host -> host.faults().clear());
        assertThat(fleet.surprises()).as("commands the lab does not simulate").isEmpty();
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + AdminTokenForTests.token());
    }
}
