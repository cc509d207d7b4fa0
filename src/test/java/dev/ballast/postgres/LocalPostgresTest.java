package dev.ballast.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local PostgreSQL behind the embedded default and the tests, started for real. */
class LocalPostgresTest {

    @TempDir
    Path dir;

    /** JUnit's temporary directories are private; as root, the postgres user must pass through them. */
    @BeforeEach
    void openTheDirectoryToThePostgresUser() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    private static String query(LocalPostgres pg, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return null;
            }
            ResultSet rs = s.getResultSet();
            rs.next();
            return rs.getString(1);
        }
    }

    private LocalPostgres start(String binaries) {
        return LocalPostgres.start(new LocalPostgres.Options(dir.resolve("pg"), binaries, 0, true));
    }

    @Test
    void keepsItsDataAcrossRestarts() throws SQLException {
        try (LocalPostgres first = start("auto")) {
            query(first, "create table kept (v text); insert into kept values ('still here')");
        }
        try (LocalPostgres second = start("auto")) {
            assertThat(query(second, "select v from kept")).isEqualTo("still here");
        }
    }

    @Test
    void adoptsAServerThatAKilledProcessLeftRunning() throws SQLException {
        LocalPostgres orphan = start("auto");
        try (LocalPostgres adopted = start("auto")) {
            assertThat(adopted.jdbcUrl()).isEqualTo(orphan.jdbcUrl());
            assertThat(query(adopted, "select 1")).isEqualTo("1");
        }
    }

    @Test
    void refusesLoginWithoutThePassword() {
        try (LocalPostgres pg = start("auto")) {
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void runsTheBundledBinariesWhereTheMachineHasNone() throws SQLException {
        try (LocalPostgres pg = start("bundled")) {
            assertThat(query(pg, "show server_version")).startsWith("15.14");
        }
        assertThat(dir.resolve("pg/binaries/bin/initdb")).isExecutable();
    }

    @Test
    void saysWhatIsWrongWithADataDirectoryItCannotUse() throws IOException {
        Files.createDirectories(dir.resolve("pg/pgdata"));
        Files.writeString(dir.resolve("pg/pgdata/stray-file"), "not a cluster");
        assertThatThrownBy(() -> start("auto")).isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("initdb").hasMessageContaining("exists but is not empty");
    }
}
