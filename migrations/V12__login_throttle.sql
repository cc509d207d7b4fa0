-- Failed logins, counted per user name and per client address in the database, so that every replica
-- sees the same counts: a key with too many failures in its window is locked until locked_until.
-- Rows for names and addresses that have been quiet for a while are deleted as new failures arrive.
create table login_throttle (
    key          text primary key,
    failures     integer not null,
    window_start timestamptz not null,
    locked_until timestamptz
);
