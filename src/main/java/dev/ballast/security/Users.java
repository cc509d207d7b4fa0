package dev.ballast.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import dev.ballast.input.Names;
import dev.ballast.audit.AuditLog;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** People who log in to the UI, each with one role; passwords are kept as PBKDF2 hashes. */
@ApplicationScoped
public class Users {

    static final int MIN_PASSWORD = 12;

    public record UserView(String name, String role, Instant createdAt) {
    }

    private final DataSource db;
    private final AuditLog audit;

    Users(DataSource db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    @Transactional
    public UserView create(String name, Role role, String password) {
        Names.check("name", name);
        if (password == null || password.length() < MIN_PASSWORD) {
            throw InvalidInputException.of("password", "must be at least " + MIN_PASSWORD + " characters long");
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into app_user (name, role, password_hash) values (?, ?, ?) "
                        + "on conflict (name) do nothing returning created_at")) {
            s.setString(1, name);
            s.setString(2, role.id());
            s.setString(3, Passwords.hash(password.toCharArray()));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new ConflictException("a user named " + name + " exists already");
                }
                audit.record("user.create", "user/" + name, null, Map.of("role", role.id()));
                return new UserView(name, role.id(), r.getTimestamp(1).toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean any() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select exists (select 1 from app_user)");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<UserView> list() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select name, role, created_at from app_user order by name");
                ResultSet r = s.executeQuery()) {
            List<UserView> users = new ArrayList<>();
            while (r.next()) {
                users.add(new UserView(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant()));
            }
            return users;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the user and ends their sessions (the foreign key cascades). */
    @Transactional
    public void delete(String name) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from app_user where name = ? returning role")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new NotFoundException("no user named " + name);
                }
                audit.record("user.delete", "user/" + name, Map.of("role", r.getString(1)), null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The user's role when the password is right; unknown names cost as much time as wrong passwords. */
    Optional<Role> check(String name, String password) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select role, password_hash from app_user where name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    Passwords.matches(password.toCharArray(), Passwords.DECOY);
                    return Optional.empty();
                }
                return Passwords.matches(password.toCharArray(), r.getString(2)) ? Optional.of(Role.parse(r.getString(1)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
