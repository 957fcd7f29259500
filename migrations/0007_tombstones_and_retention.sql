-- Erasure (`sessionsync erase`) and per-source retention (`retention` in the config).

-- Sessions that were erased or fell out of their source's retention window, so that no later
-- pass, lookback, `reset-cursor`, `enqueue` or `detail_requests` row brings them back: the writer
-- skips a session, its child sets and its queue items when their source and external id are here.
-- A session is named only by a keyed hash, HMAC-SHA256 over its source's id and its external id
-- with the key in `tombstone_key`, never by its id in clear text.
CREATE TABLE tombstones (
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    digest     BLOB NOT NULL,
    -- `erased` (sessionsync erase) or `retention` (older than the source's retention window).
    reason     TEXT NOT NULL CHECK (reason IN ('erased', 'retention')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (source_id, digest)
) WITHOUT ROWID;

-- The archive's own random key for the tombstones' hashes (32 bytes), made the first time a
-- session is tombstoned. A copy of the archive without this row cannot test an id against them.
CREATE TABLE tombstone_key (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key BLOB NOT NULL CHECK (length(key) = 32)
);

-- When each source last applied its retention window, so that it runs at most once a day.
CREATE TABLE retention_state (
    source_id         INTEGER PRIMARY KEY REFERENCES sources (id),
    -- The window applied, in seconds; a different configured window applies again at once.
    retention_seconds INTEGER NOT NULL,
    applied_at        TEXT NOT NULL,
    -- Sessions whose last activity (ended_at, else last_seen_at) was before this were deleted.
    cutoff            TEXT NOT NULL,
    sessions_deleted  INTEGER NOT NULL
);
