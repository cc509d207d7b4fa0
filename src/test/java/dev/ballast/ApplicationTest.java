package dev.ballast;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A test of the running application, in place of a bare {@code @QuarkusTest}. The tag sends it to the
 * one JVM that hosts the test application (pom.xml, surefire execution "application-tests"), never to
 * the JVM of the plain tests: once the application has registered its BouncyCastle provider JVM-wide,
 * MINA's Ed25519 logins in a plain lab test fail with a ClassCastException. Every class starts on an
 * empty fleet ({@link EmptyFleet}), since all of them share one application and one PostgreSQL. A bare
 * {@code @QuarkusTest} fails before it runs ({@link QuarkusTestsAreApplicationTests}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@QuarkusTest
@Tag("application")
@ExtendWith(EmptyFleet.class)
public @interface ApplicationTest {
}
