package dev.ballast.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * All of Ballast's SQL outside the Panache entities goes through here: a query with its parameters and
 * a row mapper, an update, a count, a batch. Transactions are JTA's: inside {@code @Transactional} or
 * {@link #transaction} every call shares one connection and commits or rolls back with the rest; outside,
 * each call commits on its own. The only {@code prepareStatement} of the main code is in this class.
 *
 * <p>Parameters bind by type: {@link Instant} as a timestamp, an enum by its name, a {@code long[]} as a
 * PostgreSQL array, anything else as JDBC's {@code setObject} takes it. JSON goes in as text with a
 * {@code cast(? as jsonb)} in the SQL, so the SQL shows it.
 */
@ApplicationScoped
public class Jdbc {

    /** Turns the current row into a value; never moves the cursor. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final DataSource db;

    Jdbc(DataSource db) {
        this.db = db;
    }

    /** Every row the query answers, mapped. */
    public <T> List<T> list(String sql, Row<T> mapper, Object... params) {
        return run(sql, params, statement -> {
            List<T> rows = new ArrayList<>();
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    rows.add(mapper.map(r));
                }
            }
            return rows;
        });
    }

    /** The first row the query answers, mapped, if there is one. */
    public <T> Optional<T> one(String sql, Row<T> mapper, Object... params) {
        return run(sql, params, statement -> {
            try (ResultSet r = statement.executeQuery()) {
                return r.next() ? Optional.ofNullable(mapper.map(r)) : Optional.empty();
            }
        });
    }

    /** The first column of the first row as a number: a {@code count(*)} and the like. */
    public long count(String sql, Object... params) {
        return one(sql, r -> r.getLong(1), params).orElse(0L);
    }

    /** Runs an insert, update or delete; answers how many rows it touched. */
    public int update(String sql, Object... params) {
        return run(sql, params, PreparedStatement::executeUpdate);
    }

    /** Runs one statement once per parameter row, in one round trip; answers the rows each touched. */
    public int[] batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (Connection c = db.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (Object[] params : rows) {
                bind(statement, params);
                statement.addBatch();
            }
            return statement.executeBatch();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    /** Runs the work in the caller's transaction, or in a new one that commits when it returns. */
    public <T> T transaction(Supplier<T> work) {
        return QuarkusTransaction.joiningExisting().call(work::get);
    }

    /** Runs the work in a transaction of its own, committed when it returns, whatever the caller holds. */
    public <T> T newTransaction(Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }

    private interface Execution<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T run(String sql, Object[] params, Execution<T> execution) {
        try (Connection c = db.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, params);
            return execution.run(statement);
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    private static void bind(PreparedStatement statement, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object value = params[i];
            if (value instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (value instanceof Enum<?> constant) {
                statement.setString(i + 1, constant.name());
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
