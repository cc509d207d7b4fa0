package dev.ballast.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ballast.audit.AuditLog;
import dev.ballast.input.Names;
import dev.ballast.jdbc.Jdbc;
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

    private final Jdbc jdbc;
    private final AuditLog audit;

    Users(Jdbc jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Transactional
    public UserView create(String name, Role role, String password) {
        Names.check("name", name);
        if (password == null || password.length() < MIN_PASSWORD) {
            throw InvalidInputException.of("password", "must be at least " + MIN_PASSWORD + " characters long");
        }
        UserView created = jdbc.one("insert into app_user (name, role, password_hash) values (?, ?, ?) "
                + "on conflict (name) do nothing returning created_at",
                r -> new UserView(name, role.id(), r.getTimestamp(1).toInstant()),
                name, role.id(), Passwords.hash(password.toCharArray()))
                .orElseThrow(() -> new ConflictException("a user named " + name + " exists already"));
        audit.record("user.create", "user/" + name, null, Map.of("role", role.id()));
        return created;
    }

    public boolean any() {
        return jdbc.one("select exists (select 1 from app_user)", r -> r.getBoolean(1)).orElseThrow();
    }

    public List<UserView> list() {
        return jdbc.list("select name, role, created_at from app_user order by name",
                r -> new UserView(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant()));
    }

    /** Deletes the user and ends their sessions (the foreign key cascades). */
    @Transactional
    public void delete(String name) {
        Names.check("name", name);
        String role = jdbc.one("delete from app_user where name = ? returning role", r -> r.getString(1), name)
                .orElseThrow(() -> new NotFoundException("no user named " + name));
        audit.record("user.delete", "user/" + name, Map.of("role", role), null);
    }

    /** The user's role when the password is right; unknown names cost as much time as wrong passwords. */
    Optional<Role> check(String name, String password) {
        record Stored(String role, String passwordHash) {
        }
        Optional<Stored> stored = !Names.valid(name) ? Optional.empty()
                : jdbc.one("select role, password_hash from app_user where name = ?", r -> new Stored(r.getString(1), r.getString(2)), name);
        if (stored.isEmpty()) {
            Passwords.matches(password.toCharArray(), Passwords.DECOY);
            return Optional.empty();
        }
        return Passwords.matches(password.toCharArray(), stored.get().passwordHash())
                ? Optional.of(Role.parse(stored.get().role())) : Optional.empty();
    }
}
