package dev.ballast;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Every {@code @QuarkusTest} calls the API as the admin token of the test configuration
 * ({@code ballast.security.bootstrap-token}), unless the request names another caller in its own
 * Authorization header. Tests of authentication itself call {@link #callAsNobody()}.
 */
public class AdminTokenForTests implements QuarkusTestBeforeEachCallback {

    public static String token() {
        return ConfigProvider.getConfig().getValue("ballast.security.bootstrap-token", String.class);
    }

    public static void callAsNobody() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        String authorization = "Bearer " + token();
        Filter asAdmin = (request, response, next) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization") && request.getCookies().size() == 0) {
                request.header("Authorization", authorization);
            }
            return next.next(request, response);
        };
        RestAssured.replaceFiltersWith(asAdmin);
    }
}
