package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * One way to talk SQL: Panache entities for inventory and identity CRUD, {@code jdbc.Jdbc} for every other
 * statement. So no other class of the main code prepares a statement, runs a native query through the
 * EntityManager, or handles a SQLException itself (a row mapper may still declare one: Jdbc catches it).
 */
class SqlInOnePlaceTest {

    private static final Path MAIN = Path.of("src/main/java/dev/ballast");
    private static final String JDBC = "jdbc/Jdbc.java";

    private static final Pattern PREPARES_STATEMENT =
            Pattern.compile("\\b(?:prepareStatement|prepareCall|createStatement)\\s*\\(");
    private static final Pattern NATIVE_QUERY = Pattern.compile("\\bcreateNativeQuery\\b");
    private static final Pattern CATCHES_SQL_EXCEPTION = Pattern.compile("\\bcatch\\s*\\([^)]*\\bSQLException\\b");

    @Test
    void onlyJdbcPreparesStatements() throws IOException {
        assertThat(filesMatching(PREPARES_STATEMENT)).as("Jdbc prepares every statement, and no other class does")
                .containsExactly(JDBC);
    }

    @Test
    void noClassRunsNativeQueriesThroughTheEntityManager() throws IOException {
        assertThat(filesMatching(NATIVE_QUERY)).isEmpty();
    }

    @Test
    void onlyTheJdbcPackageCatchesSqlExceptions() throws IOException {
        assertThat(filesMatching(CATCHES_SQL_EXCEPTION)).allMatch(file -> file.startsWith("jdbc/"));
    }

    @Test
    void theChecksRecogniseEachForbiddenForm() {
        assertThat(PREPARES_STATEMENT.matcher("try (PreparedStatement s = c.prepareStatement(\"select 1\")) {").find()).isTrue();
        assertThat(PREPARES_STATEMENT.matcher("Statement s = connection.createStatement ();").find()).isTrue();
        assertThat(PREPARES_STATEMENT.matcher("/** The only {@code prepareStatement} of the main code. */").find())
                .as("a mention without a call").isFalse();
        assertThat(NATIVE_QUERY.matcher("em.createNativeQuery(\"select 1\").getSingleResult();").find()).isTrue();
        assertThat(CATCHES_SQL_EXCEPTION.matcher("} catch (SQLException e) {").find()).isTrue();
        assertThat(CATCHES_SQL_EXCEPTION.matcher("} catch (IOException | java.sql.SQLException e) {").find()).isTrue();
        assertThat(CATCHES_SQL_EXCEPTION.matcher("} catch (SQLException | RuntimeException e) {").find()).isTrue();
        assertThat(CATCHES_SQL_EXCEPTION.matcher("private static Row row(ResultSet r) throws SQLException {").find())
                .as("a row mapper declaring it").isFalse();
    }

    /** The main sources, relative to {@code dev/ballast} with '/' separators, in which the pattern occurs. */
    private static List<String> filesMatching(Pattern pattern) throws IOException {
        List<String> matching = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (pattern.matcher(Files.readString(file)).find()) {
                    matching.add(MAIN.relativize(file).toString().replace(File.separatorChar, '/'));
                }
            }
        }
        return matching;
    }
}
