-- Plans are versioned: a new document under an existing name is a new version; old versions stay,
-- because rollouts refer to them (and keep their own copy besides).
create table plan (
    id         bigserial primary key,
    name       text not null,
    version    integer not null,
    document   jsonb not null,
    source     text not null,
    created_at timestamptz not null default now(),
    created_by text not null,
    unique (name, version)
);

-- A rollout runs the exact copy of a plan it was created with, over the hosts its selector chose then.
create table rollout (
    id           bigserial primary key,
    plan_name    text not null,
    plan_version integer not null,
    plan         jsonb not null,
    selector     text not null,
    mode         text not null check (mode in ('APPLY', 'CHECK')),
    state        text not null check (state in ('PENDING', 'RUNNING', 'AWAITING_APPROVAL', 'PAUSED', 'SUCCEEDED',
                                                'FAILED', 'HALTED', 'CANCELLED')),
    current_wave integer not null default 0,
    reason       text,
    created_by   text not null,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    finished_at  timestamptz
);

-- Waves in order; 0 is the canary. not_before holds a wave back until a pause has passed.
create table wave (
    rollout_id  bigint not null references rollout (id) on delete cascade,
    number      integer not null,
    state       text not null check (state in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    hosts       integer not null,
    not_before  timestamptz,
    approved_by text,
    approved_at timestamptz,
    started_at  timestamptz,
    finished_at timestamptz,
    primary key (rollout_id, number)
);

-- One task per host per rollout: the durable queue. Workers claim QUEUED tasks of the open wave with
-- FOR UPDATE SKIP LOCKED and hold them under a lease they renew; an expired lease goes back to QUEUED.
create table host_task (
    id               bigserial primary key,
    rollout_id       bigint not null references rollout (id) on delete cascade,
    wave             integer not null,
    host_id          bigint not null references host (id),
    host_name        text not null,
    spread_value     text,
    state            text not null check (state in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'ALREADY_COMPLIANT', 'FAILED',
                                                    'ROLLED_BACK', 'SKIPPED', 'COMPLIANT', 'DRIFTED', 'CANCELLED')),
    attempt          integer not null default 0,
    lease_owner      text,
    lease_expires_at timestamptz,
    started_at       timestamptz,
    finished_at      timestamptz,
    error_kind       text,
    error            text,
    foreign key (rollout_id, wave) references wave (rollout_id, number) on delete cascade
);
create index host_task_claim on host_task (rollout_id, wave, state);
create index host_task_lease on host_task (lease_expires_at) where state = 'RUNNING';
-- The guarantee behind "a host is never in two running tasks at once", across rollouts and instances.
create unique index host_task_one_running_per_host on host_task (host_id) where state = 'RUNNING';

-- What each check, step and rollback did on a host, per attempt: append-only history.
create table step_result (
    id          bigserial primary key,
    task_id     bigint not null references host_task (id) on delete cascade,
    attempt     integer not null,
    position    integer not null,
    kind        text not null check (kind in ('CHECK', 'STEP', 'ROLLBACK')),
    name        text not null,
    outcome     text not null,
    before      jsonb,
    after       jsonb,
    drift       jsonb,
    detail      text,
    output      text,
    exit_code   integer,
    duration_ms integer not null,
    instance    text not null,
    at          timestamptz not null default now()
);
create index step_result_task on step_result (task_id, attempt, id);

-- The exact state before a step changed a host, committed before apply. One per task and step: a
-- retried attempt never replaces it with a state its predecessor already changed.
create table rollback_point (
    id         bigserial primary key,
    task_id    bigint not null references host_task (id) on delete cascade,
    rollout_id bigint not null references rollout (id) on delete cascade,
    host_name  text not null,
    position   integer not null,
    step       text not null,
    params     jsonb not null,
    captured   jsonb not null,
    state      text not null default 'CAPTURED' check (state in ('CAPTURED', 'ROLLED_BACK', 'ROLLBACK_FAILED')),
    created_at timestamptz not null default now(),
    unique (task_id, position)
);
create index rollback_point_host on rollback_point (host_name, rollout_id);
