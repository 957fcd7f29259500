-- sessionsync archive, schema version 1.
--
-- Timestamps are TEXT, ISO-8601 UTC with milliseconds and Z (2022-06-28T17:39:26.459Z): they
-- sort as text and SQLite's date functions read them. JSON columns hold valid JSON text.
-- Never edit this file once it has shipped: add migrations/0002_....sql instead.

-- One row per configured source, created the first time a config names it. Rows stay when a
-- source leaves the config, so its archive stays queryable. `provider` has no CHECK on purpose:
-- a new provider must not need a rebuild of this table.
CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    provider   TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id               INTEGER PRIMARY KEY,
    source_id        INTEGER NOT NULL REFERENCES sources (id),
    external_id      TEXT NOT NULL,
    kind             TEXT NOT NULL
        CHECK (kind IN ('web', 'meeting', 'livestream', 'participant', 'chat', 'activity')),
    status           TEXT,
    title            TEXT,
    user_id          TEXT,
    started_at       TEXT,
    ended_at         TEXT,
    duration_seconds REAL,
    country          TEXT,
    device_type      TEXT,
    os               TEXT,
    browser          TEXT,
    browser_version  TEXT,
    url              TEXT,
    bot_score        REAL,
    metadata         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    raw              TEXT NOT NULL,
    -- The last per-session detail payload verbatim (isnotai details, realtimekit session details).
    detail_raw       TEXT,
    first_seen_at    TEXT NOT NULL,
    last_seen_at     TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- Presence snapshots (openreplay): consecutive complete, trusted listings without this session.
    absent_listings  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_id, external_id)
);
CREATE INDEX sessions_by_source_started ON sessions (source_id, started_at);
CREATE INDEX sessions_by_started ON sessions (started_at);
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX sessions_by_source_status ON sessions (source_id, status);

CREATE TABLE participants (
    id               INTEGER PRIMARY KEY,
    session_id       INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    external_id      TEXT NOT NULL,
    user_id          TEXT,
    display_name     TEXT,
    role             TEXT,
    joined_at        TEXT,
    left_at          TEXT,
    duration_seconds REAL,
    raw              TEXT NOT NULL,
    UNIQUE (session_id, external_id)
);
CREATE INDEX participants_by_user ON participants (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE page_history (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 0),
    url         TEXT,
    visited_at  TEXT,
    type        TEXT,
    duration_ms INTEGER,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

CREATE TABLE timeline (
    session_id          INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    bucket_at           TEXT NOT NULL,
    event_count         INTEGER,
    dominant_event_type TEXT,
    activity_level      REAL,
    PRIMARY KEY (session_id, bucket_at)
) WITHOUT ROWID;

CREATE TABLE event_counts (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL CHECK (event_type IN ('total', 'mouse', 'scroll', 'keyboard', 'touch', 'form')),
    count      INTEGER NOT NULL,
    PRIMARY KEY (session_id, event_type)
) WITHOUT ROWID;

CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    external_id  TEXT NOT NULL,
    sender       TEXT,
    sent_at      TEXT,
    content_type TEXT,
    body         TEXT,
    raw          TEXT NOT NULL,
    UNIQUE (session_id, external_id)
);
CREATE INDEX messages_by_session_sent ON messages (session_id, sent_at);

CREATE TABLE transcripts (
    session_id              INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq                     INTEGER NOT NULL CHECK (seq >= 0),
    spoken_at               TEXT,
    participant_external_id TEXT,
    speaker                 TEXT,
    text                    TEXT,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

CREATE TABLE session_metadata (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    value      TEXT,
    PRIMARY KEY (session_id, key)
) WITHOUT ROWID;
CREATE INDEX session_metadata_by_key_value ON session_metadata (key, value);

-- A fingerprint of each child set last written for a session (participants, timeline, ...), so
-- that a pass over unchanged data can tell "same set" without reading or rewriting the rows.
CREATE TABLE session_child_sets (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    child_set   TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    written_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, child_set)
) WITHOUT ROWID;

-- An inbox any program may INSERT into to ask a detail source (isnotai) for a session. The
-- daemon moves each row into fetch_queue on the source's next pass and deletes it here.
CREATE TABLE detail_requests (
    source_name  TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    requested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (source_name, external_id)
);

-- Per-session work a source must do beyond its listing (details, participants, exports,
-- messages): retried with backoff, bounded by attempts or a deadline, visible in `status`.
CREATE TABLE fetch_queue (
    source_id       INTEGER NOT NULL REFERENCES sources (id),
    kind            TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    -- What the item wants (e.g. the upstream updatedAt); done_version is what was last fetched.
    version         TEXT,
    done_version    TEXT,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'gave_up')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    queued_at       TEXT NOT NULL,
    last_attempt_at TEXT,
    next_attempt_at TEXT,
    expires_at      TEXT,
    done_at         TEXT,
    PRIMARY KEY (source_id, kind, external_id)
);
CREATE INDEX fetch_queue_due ON fetch_queue (source_id, kind, state, next_attempt_at);

CREATE TABLE sync_cursors (
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    stream     TEXT NOT NULL,
    value      TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source_id, stream)
);

CREATE TABLE sync_runs (
    id                INTEGER PRIMARY KEY,
    source_id         INTEGER NOT NULL REFERENCES sources (id),
    started_at        TEXT NOT NULL,
    finished_at       TEXT,
    status            TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    requests          INTEGER NOT NULL DEFAULT 0,
    sessions_upserted INTEGER NOT NULL DEFAULT 0,
    rows_written      INTEGER NOT NULL DEFAULT 0,
    error             TEXT,
    -- Things a person should know about a run that did not fail (rate budget spent, upstream gaps).
    warnings          TEXT,
    -- Process that runs (or ran) it, and when it last said it was alive: a `running` row whose
    -- process is gone is marked `interrupted` by the next process that starts.
    pid               INTEGER,
    heartbeat_at      TEXT
);
CREATE INDEX sync_runs_by_source ON sync_runs (source_id, started_at);
CREATE INDEX sync_runs_running ON sync_runs (status) WHERE status = 'running';

-- Sessions with their source and child counts, for BI tools.
CREATE VIEW v_sessions AS
SELECT
    s.id,
    src.name AS source,
    src.provider,
    s.external_id,
    s.kind,
    s.status,
    s.title,
    s.user_id,
    s.started_at,
    s.ended_at,
    s.duration_seconds,
    s.country,
    s.device_type,
    s.os,
    s.browser,
    s.browser_version,
    s.url,
    s.bot_score,
    s.metadata,
    s.first_seen_at,
    s.last_seen_at,
    s.updated_at,
    (SELECT count(*) FROM participants p WHERE p.session_id = s.id) AS participant_count,
    (SELECT count(*) FROM page_history ph WHERE ph.session_id = s.id) AS page_count,
    (SELECT count(*) FROM messages m WHERE m.session_id = s.id) AS message_count,
    (SELECT ec.count FROM event_counts ec WHERE ec.session_id = s.id AND ec.event_type = 'total') AS event_count
FROM sessions s
JOIN sources src ON src.id = s.source_id;

-- Per UTC day (of started_at, or first_seen_at when the start is unknown), source and kind.
CREATE VIEW v_daily_sessions AS
SELECT
    substr(coalesce(s.started_at, s.first_seen_at), 1, 10) AS day,
    src.name AS source,
    src.provider,
    s.kind,
    count(*) AS sessions,
    coalesce(sum(s.duration_seconds), 0) AS total_duration_seconds,
    count(DISTINCT s.user_id) AS distinct_users
FROM sessions s
JOIN sources src ON src.id = s.source_id
GROUP BY day, src.name, src.provider, s.kind;
