package dev.ballast.jdbc;

import java.sql.SQLException;

/** A statement PostgreSQL refused or could not run, with its SQLSTATE for callers that expect one. */
public class DatabaseException extends RuntimeException {

    public DatabaseException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    /** PostgreSQL's five-character error code, e.g. 23505 for a unique violation. */
    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }
}
