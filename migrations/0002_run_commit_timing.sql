-- How long the run's longest write transaction held the archive's write lock, in milliseconds.
-- Readers never wait for it (WAL), but other writers (a second sessionsync, a script inserting
-- into detail_requests) do: this shows whether a source's pages are too large.
ALTER TABLE sync_runs ADD COLUMN max_commit_ms REAL;
