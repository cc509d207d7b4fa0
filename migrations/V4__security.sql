-- People who log in to the UI, API tokens for scripts, and the UI's sessions. Only hashes of secrets are
-- stored: a copy of the database never lets anyone in.
create table app_user (
    name          text primary key,
    role          text not null check (role in ('viewer', 'operator', 'admin')),
    password_hash text not null,
    created_at    timestamptz not null default now()
);

create table api_token (
    id           bigserial primary key,
    name         text not null unique,
    role         text not null check (role in ('viewer', 'operator', 'admin')),
    secret_hash  bytea not null unique,
    created_by   text not null,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

create table web_session (
    id_hash    bytea primary key,
    user_name  text not null references app_user (name) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);
create index web_session_expires on web_session (expires_at);

create index audit_event_target on audit_event (target, at desc);
