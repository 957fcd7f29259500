-- Providers change their answers without notice. A value of an unexpected type or format in a
-- field the archive can do without is stored as NULL (the session's `raw` keeps it verbatim) and
-- counted here, one row per source, endpoint, field and expectation.
CREATE TABLE schema_drift (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources (id),
    endpoint      TEXT NOT NULL,
    -- The field's JSON path with array positions left out: `data.sessions[].country`.
    json_path     TEXT NOT NULL,
    expected      TEXT NOT NULL,
    -- The last value seen there, shortened: `a number: 840`.
    found_sample  TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    count         INTEGER NOT NULL,
    UNIQUE (source_id, endpoint, json_path, expected)
);

-- Records that could not be archived because a field they cannot do without (their id, the
-- time a listing's cursor is made of) was missing or unusable. The rest of their page was
-- archived; the record waits here, verbatim, for a person or a later release.
CREATE TABLE quarantine (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources (id),
    endpoint      TEXT NOT NULL,
    -- The provider's id when it could be read at all.
    external_id   TEXT,
    reason        TEXT NOT NULL,
    raw           TEXT NOT NULL,
    -- A stable 64-bit hash of `raw`, so the same record seen again counts instead of repeating.
    raw_hash      TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    count         INTEGER NOT NULL,
    UNIQUE (source_id, endpoint, raw_hash)
);
