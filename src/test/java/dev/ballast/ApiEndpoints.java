package dev.ballast;

import static io.restassured.RestAssured.given;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The API's changing endpoints as its OpenAPI document lists them, so an endpoint added later is covered by
 * the tests of roles without anyone adding it to a list. The role each one needs is read from the
 * resource method's annotations, where the application itself reads it.
 */
public final class ApiEndpoints {

    /** One operation: its method, its path template ({@code /api/hosts/{name}}) and a content type it accepts. */
    public record Endpoint(String method, String path, String contentType) {

        /** The path with every template parameter replaced by the given value. */
        public String with(String value) {
            return path.replaceAll("\\{[^}]+}", value);
        }

        /** The role {@code @RolesAllowed} asks of it, on the method or else its class; empty for {@code @PermitAll}. */
        public Optional<String> role() {
            Method method = resourceMethod();
            if (method.isAnnotationPresent(PermitAll.class)) {
                return Optional.empty();
            }
            RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class) ? method.getAnnotation(RolesAllowed.class)
                    : method.getDeclaringClass().getAnnotation(RolesAllowed.class);
            return Optional.of(roles == null ? "viewer" : String.join(",", roles.value())); // the configured default
        }

        private Method resourceMethod() {
            for (InjectableBean<?> bean : Arc.container().beanManager().getBeans(Object.class).stream()
                    .map(b -> (InjectableBean<?>) b).toList()) {
                Class<?> type = bean.getBeanClass();
                Path root = type.getAnnotation(Path.class);
                if (root == null) {
                    continue;
                }
                for (Method m : type.getDeclaredMethods()) {
                    if (path.equals(join(root.value(), m.getAnnotation(Path.class))) && method.equals(httpMethod(m))) {
                        return m;
                    }
                }
            }
            throw new IllegalStateException("no resource method for " + this);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private ApiEndpoints() {
    }

    /** Every POST, PUT, PATCH and DELETE in the OpenAPI document, with the first content type its body may have. */
    @SuppressWarnings("unchecked")
    public static List<Endpoint> changing() {
        Map<String, Map<String, Map<String, Object>>> paths = given()
                .header("Authorization", "Bearer " + AdminTokenForTests.token()).accept("application/json")
                .get("/q/openapi").then().statusCode(200).extract().path("paths");
        List<Endpoint> changes = new ArrayList<>();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (List.of("post", "put", "patch", "delete").contains(method)) {
                Map<String, Object> body = (Map<String, Object>) operation.get("requestBody");
                String type = body == null ? "application/json"
                        : ((Map<String, Object>) body.get("content")).keySet().iterator().next();
                changes.add(new Endpoint(method.toUpperCase(), path, type.equals("*/*") ? "application/json" : type));
            }
        }));
        return changes;
    }

    private static String join(String root, Path sub) {
        String path = (root.startsWith("/") ? root : "/" + root).replaceAll("/$", "");
        return sub == null ? path : path + (sub.value().startsWith("/") ? "" : "/") + sub.value().replaceAll("/$", "");
    }

    private static String httpMethod(Method m) {
        for (var annotation : m.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }
}
