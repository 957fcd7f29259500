import SQLiteDB
import SessionSyncSupport

extension ArchiveStore {
    /// Erases a user (`sessionsync erase`): every session whose `user_id` is `userID` (of the
    /// source `sourceID`, else of every source) with all its rows, tombstoned so that no later pass
    /// brings it back; in other sessions, the user's participants with their chat messages and
    /// transcript lines, transcript lines that name the user by id, and metadata entries whose
    /// value is the id; quarantined records that quote the id; and the id in stored texts.
    ///
    /// `PRAGMA secure_delete` is on while it runs, so the freed space is overwritten with zeros,
    /// and `PRAGMA wal_checkpoint(TRUNCATE)` follows, so that no old WAL frame keeps a copy.
    /// Sessions go `chunkSize` at a time, each chunk in a short transaction of its own.
    ///
    /// With `dryRun` everything runs in one transaction that is rolled back (with `cache_spill`
    /// off, so no page of it reaches the WAL): the counts are exactly those a real run would give.
    public func erase(
        userID: String, sourceID: Int64? = nil, dryRun: Bool = false, now: Timestamp = .now(), chunkSize: Int = 500
    ) throws -> ErasureReport {
        var report = ErasureReport(dryRun: dryRun)
        let secureDelete = try connection.scalarInt("PRAGMA secure_delete") ?? 0
        try connection.execute("PRAGMA secure_delete = ON")
        defer { try? connection.execute("PRAGMA secure_delete = \(secureDelete)") }
        let nowText = now.iso8601
        if dryRun {
            struct RolledBack: Error { let report: ErasureReport }
            try connection.execute("PRAGMA cache_spill = OFF")
            defer { try? connection.execute("PRAGMA cache_spill = ON") }
            do {
                try connection.transaction(.immediate) {
                    try eraseRows(userID: userID, sourceID: sourceID, now: nowText, chunkSize: chunkSize, into: &report)
                    throw RolledBack(report: report)
                }
            } catch let rollback as RolledBack {
                report = rollback.report
            }
            return report
        }
        try eraseRows(userID: userID, sourceID: sourceID, now: nowText, chunkSize: chunkSize, into: &report)
        if report.removed.total > 0 {
            report.fullTextIndexesRebuilt = try optimizeFullTextIndexes()
        }
        report.checkpoint = try truncateWAL()
        return report
    }

    private func eraseRows(
        userID: String, sourceID: Int64?, now: String, chunkSize: Int, into report: inout ErasureReport
    ) throws {
        let select = try connection.cachedStatement(
            """
            SELECT id, source_id, external_id FROM sessions
            WHERE user_id = ?1 AND (?2 IS NULL OR source_id = ?2) AND id > ?3
            ORDER BY id LIMIT ?4
            """
        )
        var after: Int64 = 0
        var done = false
        while !done {
            try connection.transaction(.immediate) {
                try select.bind(userID, at: 1)
                try select.bind(sourceID, at: 2)
                try select.bind(after, at: 3)
                try select.bind(Int64(chunkSize), at: 4)
                let chunk = try sessionReferences(select)
                for session in chunk.prefix(ErasureReport.sessionsListed - report.sessions.count) {
                    report.sessions.append(ErasedSession(sourceID: session.sourceID, externalID: session.externalID))
                }
                report.tombstonesAdded += try removeSessions(chunk, reason: .erased, now: now, counts: &report.removed)
                after = chunk.last?.id ?? after
                done = chunk.count < chunkSize
            }
        }
        try connection.transaction(.immediate) {
            try eraseAttributedRows(userID: userID, sourceID: sourceID, into: &report)
        }
        let mentions = try connection.cachedStatement(
            """
            SELECT count(*) FROM sessions WHERE (?2 IS NULL OR source_id = ?2)
                AND (instr(raw, ?1) > 0 OR instr(metadata, ?1) > 0 OR instr(coalesce(detail_raw, ''), ?1) > 0)
            """
        )
        try mentions.bind(userID, at: 1)
        try mentions.bind(sourceID, at: 2)
        try mentions.forEachRow { report.otherSessionsMentioningID = $0.int(at: 0) }
    }

    /// The user's rows in sessions that stay (other people's meetings), and the id where the
    /// archive quotes it. Statements bind ?1 the id and ?2 the source (NULL: every source).
    private func eraseAttributedRows(userID: String, sourceID: Int64?, into report: inout ErasureReport) throws {
        func run(_ sql: String, count table: String, in counts: inout TableCounts) throws {
            let statement = try connection.cachedStatement(sql)
            try statement.bind(userID, at: 1)
            try statement.bind(sourceID, at: 2)
            try statement.run()
            counts.add(table, connection.changes)
        }
        // The user's participants, with their peer ids per session: a RealtimeKit chat export names
        // a message's author by `participantId` (its `sender` is the display name, or the peer id
        // when there is none) and a transcript line by `Participant ID`.
        let participants = try connection.cachedStatement(
            """
            SELECT p.id, p.session_id, p.external_id FROM participants p JOIN sessions s ON s.id = p.session_id
            WHERE p.user_id = ?1 AND (?2 IS NULL OR s.source_id = ?2)
            """
        )
        try participants.bind(userID, at: 1)
        try participants.bind(sourceID, at: 2)
        var participantIDs: [Int64] = []
        var peersBySession: [Int64: [String]] = [:]
        try participants.forEachRow { row in
            participantIDs.append(row.int64(at: 0))
            peersBySession[row.int64(at: 1), default: []].append(row.text(at: 2) ?? "")
        }
        for (sessionID, peers) in peersBySession.sorted(by: { $0.key < $1.key }) {
            let peerIDs = JSONOutput.array(peers.map(JSONOutput.string)).text
            let messages = try connection.cachedStatement(
                """
                DELETE FROM messages WHERE session_id = ?1 AND (
                    sender IN (SELECT value FROM json_each(?2))
                    OR CASE WHEN json_valid(raw) THEN json_extract(raw, '$.participantId') END
                        IN (SELECT value FROM json_each(?2)))
                """
            )
            try messages.bind(sessionID, at: 1)
            try messages.bind(peerIDs, at: 2)
            try messages.run()
            report.removed.add("messages", connection.changes)
            let transcripts = try connection.cachedStatement(
                "DELETE FROM transcripts WHERE session_id = ?1 AND participant_external_id IN (SELECT value FROM json_each(?2))"
            )
            try transcripts.bind(sessionID, at: 1)
            try transcripts.bind(peerIDs, at: 2)
            try transcripts.run()
            report.removed.add("transcripts", connection.changes)
        }
        let deleteParticipants = try connection.cachedStatement(
            "DELETE FROM participants WHERE id IN (SELECT value FROM json_each(?))")
        try deleteParticipants.bind(JSONOutput.array(participantIDs.map(JSONOutput.int)).text, at: 1)
        try deleteParticipants.run()
        report.removed.add("participants", connection.changes)

        let inSource = "(?2 IS NULL OR session_id IN (SELECT id FROM sessions WHERE source_id = ?2))"
        // A transcript line whose export had neither a name nor a custom id for the speaker is
        // named by the user id.
        try run(
            "DELETE FROM transcripts WHERE (speaker = ?1 OR participant_external_id = ?1) AND \(inSource)",
            count: "transcripts", in: &report.removed)
        try run(
            "DELETE FROM session_metadata WHERE value = ?1 AND \(inSource)", count: "session_metadata",
            in: &report.removed)
        try run(
            "DELETE FROM quarantine WHERE (instr(raw, ?1) > 0 OR external_id = ?1) AND (?2 IS NULL OR source_id = ?2)",
            count: "quarantine", in: &report.removed)
        try run(
            """
            UPDATE schema_drift SET found_sample = '[erased]'
            WHERE instr(found_sample, ?1) > 0 AND (?2 IS NULL OR source_id = ?2)
            """,
            count: "schema_drift", in: &report.cleared)
        try run(
            """
            UPDATE sync_runs SET error = replace(error, ?1, '[erased]'), warnings = replace(warnings, ?1, '[erased]')
            WHERE (instr(error, ?1) > 0 OR instr(warnings, ?1) > 0) AND (?2 IS NULL OR source_id = ?2)
            """,
            count: "sync_runs", in: &report.cleared)
        try run(
            """
            UPDATE fetch_queue SET last_error = replace(last_error, ?1, '[erased]')
            WHERE instr(last_error, ?1) > 0 AND (?2 IS NULL OR source_id = ?2)
            """,
            count: "fetch_queue", in: &report.cleared)
    }

    /// Merges every FTS5 index into one segment: a deleted row's tokens stay in an index segment
    /// (behind a delete marker) until a merge drops them. Returns the tables rebuilt.
    private func optimizeFullTextIndexes() throws -> [String] {
        let select = try connection.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name"
        )
        var names: [String] = []
        try select.forEachRow { row in names.append(row.text(at: 0) ?? "") }
        for name in names {
            let quoted =
                "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
            try connection.execute("INSERT INTO \(quoted) (\(quoted)) VALUES ('optimize')")
        }
        return names
    }

    /// Copies the WAL into the database and empties it, waiting up to the busy timeout for
    /// readers of older snapshots.
    func truncateWAL() throws -> WALTruncation {
        let checkpoint = try connection.prepare("PRAGMA wal_checkpoint(TRUNCATE)")
        defer { checkpoint.reset() }
        guard try checkpoint.step() else {
            return WALTruncation(busy: true, walFrames: -1, checkpointedFrames: -1)
        }
        return WALTruncation(
            busy: checkpoint.int(at: 0) != 0, walFrames: checkpoint.int(at: 1),
            checkpointedFrames: checkpoint.int(at: 2))
    }
}
