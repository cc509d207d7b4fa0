package dev.ballast;

import java.lang.annotation.Annotation;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that is a {@code @QuarkusTest} without being an {@link ApplicationTest}: without the
 * tag it would run in the plain tests' JVM, where it either breaks every MINA lab test after it or
 * passes by the luck of the order, and it would see what earlier classes left in the database.
 * Registered for every test class through JUnit's extension autodetection (pom.xml turns it on;
 * META-INF/services names this class). Annotations are compared by name: a {@code @QuarkusTest} class
 * is loaded by the application's class loader, this extension by the launcher's.
 */
public class QuarkusTestsAreApplicationTests implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> test = context.getRequiredTestClass();
        if (carries(test, "io.quarkus.test.junit.QuarkusTest") && !carries(test, ApplicationTest.class.getName())) {
            throw new ExtensionConfigurationException(test.getName() + " is a @QuarkusTest: annotate it with @"
                    + ApplicationTest.class.getName() + " instead, so that it runs in the application's JVM on an empty fleet");
        }
    }

    static boolean carries(Class<?> type, String annotation) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (carries(c.getAnnotations(), annotation, new HashSet<>())) {
                return true;
            }
        }
        return type.getEnclosingClass() != null && carries(type.getEnclosingClass(), annotation);
    }

    private static boolean carries(Annotation[] annotations, String name, Set<String> seen) {
        for (Annotation a : annotations) {
            String type = a.annotationType().getName();
            if (type.equals(name)) {
                return true;
            }
            if (!type.startsWith("java.lang.annotation.") && seen.add(type)
                    && carries(a.annotationType().getAnnotations(), name, seen)) {
                return true;
            }
        }
        return false;
    }
}
