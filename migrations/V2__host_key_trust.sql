-- Host-key trust. trust_on_first_use lets the first connection pin the key a host presents (audited);
-- without it, a host with no pinned key is never connected to.
-- A host that presents a key other than the pinned one is quarantined: the presented key is kept here
-- and the host is left out of all work until an admin accepts that key (audited) or pins another.
alter table host add column trust_on_first_use boolean not null default false;
alter table host add column quarantined_host_key text;
alter table host add column quarantined_at timestamptz;
