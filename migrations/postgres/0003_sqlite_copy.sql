-- `sessionsync copy --from FILE --to URL`: how far the copy of a SQLite archive into this database
-- has come, so that a copy that was stopped (Ctrl-C, kill -9, the server gone) continues where
-- its committed work ended and never writes a row twice, and so that a database another writer
-- filled is told apart from one this copy filled (the copy refuses the former).
--
-- Each chunk of rows commits together with its table's `rows_copied`, in one transaction. Only
-- a copy writes here; a daemon never reads these tables. They stay after the copy as its record.

-- The copy this database holds, at most one.
CREATE TABLE copy_from_sqlite (
    id          bigint PRIMARY KEY CHECK (id = 1),
    -- The SQLite file as the copy's first run named it.
    source_file text NOT NULL,
    started_at  timestamptz NOT NULL,
    -- When every table was copied and the identities set past the largest ids; NULL until then.
    finished_at timestamptz
);

-- Per copied table: rows committed so far, in the order of the SQLite table's primary key.
CREATE TABLE copy_from_sqlite_tables (
    table_name  text PRIMARY KEY,
    rows_copied bigint NOT NULL CHECK (rows_copied >= 0),
    done        boolean NOT NULL DEFAULT false
);
