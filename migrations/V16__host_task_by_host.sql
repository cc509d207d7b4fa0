-- A host's tasks, newest first: the hosts list reads each listed host's last rollout and latest checked
-- sweep run, and a host's page its recent tasks and step states. Without it each of those scans every
-- task of every rollout, once per host on the page.
create index host_task_by_host on host_task (host_name, id);
