-- WAL checkpoints that SQLite refused, one row per kind of failure (SQLite's result code), so
-- that `status` can show them from any process: the count, SQLite's last message and when.
CREATE TABLE wal_checkpoint_failures (
    kind          TEXT PRIMARY KEY,
    count         INTEGER NOT NULL,
    last_message  TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
