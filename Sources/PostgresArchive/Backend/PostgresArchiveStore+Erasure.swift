import Archive
import SessionSyncSupport

extension PostgresArchiveStore {
    /// Erases up to `limit` of the user's sessions with an id above `after` (of the source
    /// `sourceID`, else of every source) with all their rows, tombstoned, inside the caller's
    /// transaction, as ``ArchiveStore/erase(userID:sourceID:dryRun:now:chunkSize:)`` does in
    /// SQLite; returns the last id erased (nil when this was the last chunk).
    ///
    /// The sources' lease rows are locked first (`FOR UPDATE`): a pass's commit checks its lease
    /// `FOR SHARE` before it looks at the tombstones, so it waits for this transaction and then
    /// sees them, and cannot archive a session again that is being erased.
    func eraseSessions(
        userID: String, sourceID: Int64?, after: Int64, limit: Int, now: Timestamp, into report: inout ErasureReport
    ) async throws -> Int64? {
        try await lockLeases(sourceID: sourceID)
        let chunk = try await rows(
            """
            SELECT id, source_id, external_id FROM sessions
            WHERE user_id = $1 AND ($2::int8 IS NULL OR source_id = $2) AND id > $3
            ORDER BY id LIMIT $4 FOR UPDATE
            """,
            [.text(userID), .int(sourceID), .int(after), .int(Int64(limit))], as: (Int64, Int64, String).self
        ).map { PostgresSessionReference(id: $0, sourceID: $1, externalID: $2) }
        for session in chunk.prefix(ErasureReport.sessionsListed - report.sessions.count) {
            report.sessions.append(ErasedSession(sourceID: session.sourceID, externalID: session.externalID))
        }
        report.tombstonesAdded += try await removeSessions(chunk, reason: .erased, now: now, counts: &report.removed)
        return chunk.count < limit ? nil : chunk.last?.id
    }

    /// The user's rows in sessions that stay (other people's meetings), and the id where the
    /// archive quotes it, as in SQLite; then counts the other sessions whose payloads still
    /// contain the id.
    func eraseAttributedRows(userID: String, sourceID: Int64?, into report: inout ErasureReport) async throws {
        try await lockLeases(sourceID: sourceID)
        let both: [PostgresParameter] = [.text(userID), .int(sourceID)]
        // The user's participants, with their peer ids per session: a RealtimeKit chat export names
        // a message's author by `participantId` (its `sender` is the display name, or the peer id
        // when there is none) and a transcript line by `Participant ID`.
        let participants = try await rows(
            """
            SELECT p.id, p.session_id, p.external_id FROM participants p JOIN sessions s ON s.id = p.session_id
            WHERE p.user_id = $1 AND ($2::int8 IS NULL OR s.source_id = $2)
            """,
            both, as: (Int64, Int64, String).self)
        for (sessionID, peers) in Dictionary(grouping: participants, by: \.1).sorted(by: { $0.key < $1.key }) {
            let peerIDs = peers.map(\.2)
            report.removed.add(
                "messages",
                try await count(
                    """
                    DELETE FROM messages WHERE session_id = $1
                        AND (sender = ANY($2::text[]) OR raw ->> 'participantId' = ANY($2::text[]))
                    RETURNING 1
                    """,
                    [.int(sessionID), .texts(peerIDs)]))
            report.removed.add(
                "transcripts",
                try await count(
                    """
                    DELETE FROM transcripts WHERE session_id = $1 AND participant_external_id = ANY($2::text[])
                    RETURNING 1
                    """,
                    [.int(sessionID), .texts(peerIDs)]))
        }
        report.removed.add(
            "participants",
            try await count(
                "DELETE FROM participants WHERE id = ANY($1::int8[]) RETURNING 1", [.ints(participants.map(\.0))]))

        let inSource = "($2::int8 IS NULL OR session_id IN (SELECT id FROM sessions WHERE source_id = $2))"
        // A transcript line whose export had neither a name nor a custom id for the speaker is
        // named by the user id.
        report.removed.add(
            "transcripts",
            try await count(
                "DELETE FROM transcripts WHERE (speaker = $1 OR participant_external_id = $1) AND \(inSource) RETURNING 1",
                both))
        report.removed.add(
            "session_metadata",
            try await count("DELETE FROM session_metadata WHERE value = $1 AND \(inSource) RETURNING 1", both))
        report.removed.add(
            "quarantine",
            try await count(
                """
                DELETE FROM quarantine WHERE (strpos(raw::text, $1) > 0 OR external_id = $1)
                    AND ($2::int8 IS NULL OR source_id = $2)
                RETURNING 1
                """,
                both))
        report.cleared.add(
            "schema_drift",
            try await count(
                """
                UPDATE schema_drift SET found_sample = '[erased]'
                WHERE strpos(found_sample, $1) > 0 AND ($2::int8 IS NULL OR source_id = $2) RETURNING 1
                """,
                both))
        report.cleared.add(
            "sync_runs",
            try await count(
                """
                UPDATE sync_runs SET error = replace(error, $1, '[erased]'), warnings = replace(warnings, $1, '[erased]')
                WHERE (strpos(error, $1) > 0 OR strpos(warnings, $1) > 0) AND ($2::int8 IS NULL OR source_id = $2)
                RETURNING 1
                """,
                both))
        report.cleared.add(
            "fetch_queue",
            try await count(
                """
                UPDATE fetch_queue SET last_error = replace(last_error, $1, '[erased]')
                WHERE strpos(last_error, $1) > 0 AND ($2::int8 IS NULL OR source_id = $2) RETURNING 1
                """,
                both))
        // jsonb's text has its own spelling of a payload (escapes, spacing), which quotes a plain
        // id as the payload did.
        report.otherSessionsMentioningID =
            Int(
                try await column(
                    """
                    SELECT count(*) FROM sessions WHERE ($2::int8 IS NULL OR source_id = $2)
                        AND (strpos(raw::text, $1) > 0 OR strpos(metadata::text, $1) > 0
                            OR strpos(coalesce(detail_raw::text, ''), $1) > 0)
                    """,
                    both, as: Int64.self
                ).first ?? 0)
    }

    /// Locks the lease rows of the source (of every source, for nil) until the transaction ends.
    private func lockLeases(sourceID: Int64?) async throws {
        _ = try await run(
            "SELECT 1 FROM source_leases WHERE $1::int8 IS NULL OR source_id = $1 ORDER BY source_id FOR UPDATE",
            [.int(sourceID)])
    }
}
