-- Several `sessionsync run` processes may share one PostgreSQL archive. Each source is held by
-- one of them at a time, through its row here; only PostgreSQL has it (a SQLite archive has one
-- process, kept alone by the file's lock).
--
-- The holder renews its lease while it runs (the run's heartbeat). Another instance takes a source
-- over only once the lease has expired, and every takeover increments `epoch`: a holder writes
-- only while the row still carries its own holder and epoch, checked in the same transaction as
-- the write (a fencing token), so an instance that was paused past its lease and wakes up can
-- never write over the new holder's work. Times are the server's clock, so the instances' clocks
-- need not agree.
CREATE TABLE source_leases (
    source_id   bigint PRIMARY KEY REFERENCES sources (id),
    -- Who holds it: `host:pid:random`, unique per running process.
    holder      text NOT NULL,
    -- Increments whenever the lease passes to another holder; never goes back.
    epoch       bigint NOT NULL CHECK (epoch >= 1),
    acquired_at timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
