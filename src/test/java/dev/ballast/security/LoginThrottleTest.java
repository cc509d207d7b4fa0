package dev.ballast.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ballast.AdminTokenForTests;
import dev.ballast.ApplicationTest;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.RetryLaterException;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Password guessing is limited: per user name and per client address, counted in PostgreSQL, a lockout
 * refuses even the right password with 429 and Retry-After, and password checks run a few at a time.
 */
@ApplicationTest
class LoginThrottleTest {

    static final String ADMIN = "Bearer " + AdminTokenForTests.token();
    static final String PASSWORD = "correct horse battery staple";

    @Inject
    Jdbc jdbc;

    @BeforeEach
    void callNobodyByDefault() {
        AdminTokenForTests.callAsNobody();
    }

    @Test
    void fiveWrongPasswordsLockTheNameOutEvenForTheRightOne() {
        String user = user();
        for (int i = 0; i < 5; i++) {
            login(user, "wrong password " + i).then().statusCode(401);
        }
        Response locked = login(user, PASSWORD);

        locked.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:ballast:problem:too-many-requests"));
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(850L, 900L);
        assertThat(given().header("Authorization", ADMIN).get("/api/audit?target=user/" + user).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.action == 'session.login-failed' }")).hasSize(5);
    }

    @Test
    void aSuccessfulLoginClearsItsNamesCount() {
        String user = user();
        for (int i = 0; i < 4; i++) {
            login(user, "wrong password " + i).then().statusCode(401);
        }
        login(user, PASSWORD).then().statusCode(200);
        for (int i = 0; i < 4; i++) {
            login(user, "wrong password " + i).then().statusCode(401);
        }
        login(user, PASSWORD).then().statusCode(200);
    }

    @Test
    void anAddressThatFailsTwentyTimesIsLockedOutForEveryName() {
        LoginThrottle throttle = defaults();
        for (int i = 0; i < 20; i++) {
            throttle.failed("name-" + i + "-" + System.nanoTime(), "192.0.2.9");
        }
        assertThatThrownBy(() -> throttle.requireUnlocked("someone-else", "192.0.2.9")).isInstanceOf(RetryLaterException.class)
                .extracting(e -> ((RetryLaterException) e).status()).isEqualTo(429);
        throttle.requireUnlocked("someone-else", "192.0.2.10");
    }

    @Test
    void namesThatAreNoUserAreCountedToo() {
        String nobody = "nul\u0000" + System.nanoTime();
        for (int i = 0; i < 5; i++) {
            login(nobody, "wrong password " + i).then().statusCode(401);
        }
        login(nobody, PASSWORD).then().statusCode(429);
    }

    @Test
    void passwordChecksRunTwoAtATime() throws Exception {
        LoginThrottle throttle = defaults();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(2);
        List<CompletableFuture<Boolean>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(CompletableFuture.supplyAsync(() -> throttle.checking(() -> {
                holding.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            })));
        }
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> third = CompletableFuture.supplyAsync(() -> throttle.checking(() -> "checked"));

        assertThat(third).as("a third check waits for a permit").isNotCompleted();
        Thread.sleep(500);
        assertThat(third).isNotCompleted();
        release.countDown();
        assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo("checked");
        assertThat(held).allSatisfy(f -> assertThat(f.get(10, TimeUnit.SECONDS)).isTrue());
    }

    /** The defaults, with two password checks at a time whatever the machine; the application's address limit is raised for tests. */
    private LoginThrottle defaults() {
        return new LoginThrottle(jdbc, 5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15), Optional.of(2), Duration.ofSeconds(10));
    }

    private static String user() {
        String user = "throttled-" + System.nanoTime();
        given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("name", user, "role", "viewer", "password", PASSWORD)).post("/api/users").then().statusCode(201);
        return user;
    }

    private static Response login(String name, String password) {
        return given().contentType("application/json").body(Map.of("name", name, "password", password)).post("/api/session");
    }
}
