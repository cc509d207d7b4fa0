-- SSH identities Ballast logs in with. The private key is encrypted with the master key
-- (AES-256-GCM, see dev.ballast.identity.KeyCipher); the database alone never reveals it.
create table ssh_identity (
    name                  text primary key,
    algorithm             text not null,
    public_key            text not null,
    fingerprint           text not null,
    private_key_encrypted bytea not null,
    created_at            timestamptz not null default now()
);

-- The inventory. Labels are a flat JSON object of strings, queried by label selectors.
-- host_key is the pinned OpenSSH public key; null means none pinned yet.
-- identity null means the default identity.
create table host (
    id          bigserial primary key,
    name        text not null unique,
    address     text not null,
    ssh_port    integer not null default 22 check (ssh_port between 1 and 65535),
    ssh_user    text not null default 'root',
    labels      jsonb not null default '{}' check (jsonb_typeof(labels) = 'object'),
    host_key    text,
    identity    text references ssh_identity (name),
    maintenance boolean not null default false,
    notes       text,
    version     bigint not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- Every change, by whom, with the state before and after. Append-only.
create table audit_event (
    id         bigserial primary key,
    at         timestamptz not null default now(),
    actor      text not null,
    action     text not null,
    target     text not null,
    before     jsonb,
    after      jsonb
);
create index audit_event_at on audit_event (at desc);
