import SQLiteDB
import SessionSyncSupport

/// Replaces a session's child sets, leaving alone each one whose fingerprint is unchanged.
final class ChildSetWriter {
    private let pageHistory = MultiRowInsert(
        "INSERT INTO page_history (session_id, seq, url, visited_at, type, duration_ms)", columns: 6)
    // Two points in one bucket would break the key; the later one wins, as in the API's order.
    private let timeline = MultiRowInsert(
        "INSERT OR REPLACE INTO timeline (session_id, bucket_at, event_count, dominant_event_type, activity_level)",
        columns: 5
    )
    private let eventCounts = MultiRowInsert(
        "INSERT OR REPLACE INTO event_counts (session_id, event_type, count)", columns: 3)
    private let metadata = MultiRowInsert(
        "INSERT OR REPLACE INTO session_metadata (session_id, key, value)", columns: 3)

    /// Writes `sets` for the session and returns how many rows changed (0 when every set is
    /// unchanged). `fingerprints` are the sets', in order, when computed ahead.
    func write(
        _ sets: [ChildSet], fingerprints: [String]?, sessionID: Int64, isNewSession: Bool, connection: Connection
    ) throws -> Int {
        // Read on first need: a record of appended messages only has no fingerprint to compare.
        var stored: [String: String]? = isNewSession ? [:] : nil
        var changed: [(String, JSONOutput)] = []
        var rows = 0
        for (index, set) in sets.enumerated() {
            if case .appendMessages(let messages) = set {
                rows += try upsertMessages(messages, sessionID: sessionID, connection: connection)
                continue
            }
            let fingerprint = fingerprints?[index] ?? ChildSetFingerprint.of(set)
            if stored == nil { stored = try storedFingerprints(sessionID: sessionID, connection: connection) }
            if stored?[set.name] == fingerprint { continue }
            if !isNewSession {
                let delete = try connection.cachedStatement(Self.deleteSQL(for: set))
                try delete.bind(sessionID, at: 1)
                try delete.run()
                rows += connection.changes
            }
            rows += try insertRows(of: set, sessionID: sessionID, connection: connection)
            changed.append((set.name, .string(fingerprint)))
        }
        try recordFingerprints(changed, sessionID: sessionID, connection: connection)
        return rows
    }

    /// Records the fingerprints of the sets just written, keeping those of the other sets.
    func recordFingerprints(_ changed: [(String, JSONOutput)], sessionID: Int64, connection: Connection) throws {
        guard !changed.isEmpty else { return }
        // json_patch keeps the fingerprints of the sets this record does not carry.
        let record = try connection.cachedStatement(
            """
            INSERT INTO session_fingerprints (session_id, child_sets) VALUES (?, ?)
            ON CONFLICT (session_id) DO UPDATE SET child_sets = json_patch(child_sets, excluded.child_sets)
            """
        )
        try record.bind(sessionID, at: 1)
        try record.bind(JSONOutput.object(changed).text, at: 2)
        try record.run()
    }

    private func storedFingerprints(sessionID: Int64, connection: Connection) throws -> [String: String] {
        let select = try connection.cachedStatement(
            "SELECT key, value FROM session_fingerprints, json_each(session_fingerprints.child_sets) WHERE session_id = ?"
        )
        try select.bind(sessionID, at: 1)
        var stored: [String: String] = [:]
        try select.forEachRow { row in
            if let key = row.text(at: 0), let value = row.text(at: 1) { stored[key] = value }
        }
        return stored
    }

    private static func deleteSQL(for set: ChildSet) -> String {
        switch set {
        case .participants: "DELETE FROM participants WHERE session_id = ?"
        case .pageHistory: "DELETE FROM page_history WHERE session_id = ?"
        case .timeline: "DELETE FROM timeline WHERE session_id = ?"
        case .eventCounts: "DELETE FROM event_counts WHERE session_id = ?"
        case .metadata: "DELETE FROM session_metadata WHERE session_id = ?"
        case .messages, .appendMessages: "DELETE FROM messages WHERE session_id = ?"
        case .transcripts: "DELETE FROM transcripts WHERE session_id = ?"
        }
    }

    private func insertRows(of set: ChildSet, sessionID: Int64, connection: Connection) throws -> Int {
        switch set {
        case .participants(let rows):
            let insert = try connection.cachedStatement(
                """
                INSERT INTO participants
                    (session_id, external_id, user_id, display_name, role, joined_at, left_at, duration_seconds, raw)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (session_id, external_id) DO UPDATE SET
                    user_id = excluded.user_id, display_name = excluded.display_name, role = excluded.role,
                    joined_at = excluded.joined_at, left_at = excluded.left_at,
                    duration_seconds = excluded.duration_seconds, raw = excluded.raw
                """
            )
            for row in rows {
                try insert.bind(sessionID, at: 1)
                try insert.bind(row.externalID, at: 2)
                try insert.bind(row.userID, at: 3)
                try insert.bind(row.displayName, at: 4)
                try insert.bind(row.role, at: 5)
                try insert.bind(row.joinedAt?.iso8601, at: 6)
                try insert.bind(row.leftAt?.iso8601, at: 7)
                try insert.bind(row.durationSeconds, at: 8)
                try insert.bind(row.raw, at: 9)
                try insert.run()
            }
            return rows.count
        case .pageHistory(let rows):
            try pageHistory.run(rows, connection: connection) { statement, row, seq, first in
                try statement.bind(sessionID, at: first)
                try statement.bind(Int64(seq), at: first + 1)
                try statement.bind(row.url, at: first + 2)
                try statement.bind(row.visitedAt?.iso8601, at: first + 3)
                try statement.bind(row.type, at: first + 4)
                try statement.bind(row.durationMilliseconds, at: first + 5)
            }
            return rows.count
        case .timeline(let rows):
            try timeline.run(rows, connection: connection) { statement, row, _, first in
                try statement.bind(sessionID, at: first)
                try statement.bind(row.bucketAt.iso8601, at: first + 1)
                try statement.bind(row.eventCount, at: first + 2)
                try statement.bind(row.dominantEventType, at: first + 3)
                try statement.bind(row.activityLevel, at: first + 4)
            }
            return rows.count
        case .eventCounts(let rows):
            try eventCounts.run(rows, connection: connection) { statement, row, _, first in
                try statement.bind(sessionID, at: first)
                try statement.bind(row.eventType, at: first + 1)
                try statement.bind(row.count, at: first + 2)
            }
            return rows.count
        case .metadata(let rows):
            try metadata.run(rows, connection: connection) { statement, row, _, first in
                try statement.bind(sessionID, at: first)
                try statement.bind(row.key, at: first + 1)
                try statement.bind(row.value, at: first + 2)
            }
            return rows.count
        case .messages(let rows), .appendMessages(let rows):
            return try upsertMessages(rows, sessionID: sessionID, connection: connection)
        case .transcripts(let rows):
            let insert = try connection.cachedStatement(
                """
                INSERT INTO transcripts (session_id, seq, spoken_at, participant_external_id, speaker, text)
                VALUES (?, ?, ?, ?, ?, ?)
                """
            )
            for (seq, row) in rows.enumerated() {
                try insert.bind(sessionID, at: 1)
                try insert.bind(Int64(seq), at: 2)
                try insert.bind(row.spokenAt?.iso8601, at: 3)
                try insert.bind(row.participantExternalID, at: 4)
                try insert.bind(row.speaker, at: 5)
                try insert.bind(row.text, at: 6)
                try insert.run()
            }
            return rows.count
        }
    }

    /// Inserts new messages and updates changed ones; an unchanged message is not written.
    private func upsertMessages(_ rows: [MessageRecord], sessionID: Int64, connection: Connection) throws -> Int {
        let upsert = try connection.cachedStatement(
            """
            INSERT INTO messages (session_id, external_id, sender, sent_at, content_type, body, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id, external_id) DO UPDATE SET
                sender = excluded.sender, sent_at = excluded.sent_at, content_type = excluded.content_type,
                body = excluded.body, raw = excluded.raw
            WHERE messages.sender IS NOT excluded.sender OR messages.sent_at IS NOT excluded.sent_at
                OR messages.content_type IS NOT excluded.content_type OR messages.body IS NOT excluded.body
                OR messages.raw IS NOT excluded.raw
            """
        )
        var written = 0
        for row in rows {
            try upsert.bind(sessionID, at: 1)
            try upsert.bind(row.externalID, at: 2)
            try upsert.bind(row.sender, at: 3)
            try upsert.bind(row.sentAt?.iso8601, at: 4)
            try upsert.bind(row.contentType, at: 5)
            try upsert.bind(row.body, at: 6)
            try upsert.bind(row.raw, at: 7)
            try upsert.run()
            written += connection.changes
        }
        return written
    }
}
