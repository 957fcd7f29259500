-- Less bookkeeping per archived session: the writer spends most of a detail source's pass inside
-- its transactions, and for each isnotai session 7 of its about 105 index and table entries were
-- bookkeeping (4 fingerprint rows, a queue row and its 2 index entries); now 3 are.

-- One row of child-set fingerprints per session instead of one per set: `child_sets` maps each
-- set's name (participants, timeline, ...) to the fingerprint of the rows last written for it.
CREATE TABLE session_fingerprints (
    session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    child_sets TEXT NOT NULL
);
INSERT INTO session_fingerprints (session_id, child_sets)
SELECT session_id, json_group_object(child_set, fingerprint)
FROM (SELECT session_id, child_set, fingerprint FROM session_child_sets ORDER BY session_id, child_set)
GROUP BY session_id;
DROP TABLE session_child_sets;

-- Only pending items are ever looked up by due time; done items, most of the queue, need no entry.
DROP INDEX fetch_queue_due;
CREATE INDEX fetch_queue_pending_due ON fetch_queue (source_id, kind, next_attempt_at) WHERE state = 'pending';
