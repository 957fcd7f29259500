import Archive
import SQLiteDB
import SessionSyncSupport

/// A session's child sets, as `ChildSetWriter` replaces them in SQLite: a set whose fingerprint
/// (``ChildSetFingerprint``) matches the one stored in `session_fingerprints.child_sets` is left
/// alone; a changed set is deleted and inserted again, its fingerprint merged into the stored
/// ones (`||`, SQLite's `json_patch`). The rows are ``ChildTableLayout``'s, one per key, and the
/// counts are SQLite's: every row of the set for an insert, every changed message for an upsert.
extension PostgresArchiveStore {
    /// Writes `sets` for the session and returns how many rows changed (0 when every set is
    /// unchanged). `fingerprints` are the sets', in order, when computed ahead.
    func writeChildSets(_ sets: [ChildSet], fingerprints: [String]?, sessionID: Int64, isNewSession: Bool)
        async throws -> Int
    {
        // Read on first need: a record of appended messages only has no fingerprint to compare.
        var stored: [String: String]? = isNewSession ? [:] : nil
        var changed: [(String, JSONOutput)] = []
        var rows = 0
        for (index, set) in sets.enumerated() {
            if case .appendMessages = set {
                rows += try await upsertRows(of: set, sessionID: sessionID)
                continue
            }
            let fingerprint = fingerprints?[index] ?? ChildSetFingerprint.of(set)
            if stored == nil { stored = try await storedFingerprints(sessionID: sessionID) }
            if stored?[set.name] == fingerprint { continue }
            let layout = ChildTableLayout.of(set)
            if !isNewSession {
                rows += try await count(
                    "DELETE FROM \(layout.table) WHERE session_id = $1 RETURNING 1", [.int(sessionID)])
            }
            if case .messages = set {
                rows += try await upsertRows(of: set, sessionID: sessionID)
            } else {
                try await insert(ChildTableLayout.storedRows(of: set), into: layout, sessionID: sessionID)
                // SQLite counts each row of the set, a repeated key too (`INSERT OR REPLACE`).
                rows += ChildTableLayout.rows(of: set).count
            }
            changed.append((set.name, .string(fingerprint)))
        }
        try await recordFingerprints(changed, sessionID: sessionID)
        return rows
    }

    /// Records the fingerprints of the sets just written, keeping those of the other sets.
    private func recordFingerprints(_ changed: [(String, JSONOutput)], sessionID: Int64) async throws {
        guard !changed.isEmpty else { return }
        try await run(
            """
            INSERT INTO session_fingerprints (session_id, child_sets) VALUES ($1, $2::jsonb)
            ON CONFLICT (session_id) DO UPDATE SET child_sets = session_fingerprints.child_sets || excluded.child_sets
            """,
            [.int(sessionID), .json(JSONOutput.object(changed).text)])
    }

    private func storedFingerprints(sessionID: Int64) async throws -> [String: String] {
        var stored: [String: String] = [:]
        for (key, value) in try await rows(
            "SELECT key, value FROM session_fingerprints, jsonb_each_text(child_sets) WHERE session_id = $1",
            [.int(sessionID)], as: (String, String?).self)
        {
            if let value { stored[key] = value }
        }
        return stored
    }

    /// Inserts `rows` (one per key) of a child table, many per statement.
    private func insert(_ rows: [ChildTableLayout.Row], into layout: ChildTableLayout, sessionID: Int64) async throws {
        let statement = MultiRowStatement(layout: layout, upsert: false)
        for chunk in statement.chunks(of: rows) {
            try await run(statement.sql(rows: chunk.count), statement.parameters(of: chunk, sessionID: sessionID))
        }
    }

    /// Upserts the set's rows: a new key is inserted, a stored row is updated only when a value
    /// differs (`WHERE … IS DISTINCT FROM`), and the changed rows are counted, as SQLite's
    /// statement per row counts them. A key the set holds twice goes in a later statement than
    /// its first row (one statement cannot change a row twice), so each row meets the one before
    /// it, as in SQLite.
    private func upsertRows(of set: ChildSet, sessionID: Int64) async throws -> Int {
        let layout = ChildTableLayout.of(set)
        let keyCount = layout.keyColumns.count
        var rounds: [[ChildTableLayout.Row]] = []
        var occurrences: [[SQLiteValue]: Int] = [:]
        for row in ChildTableLayout.rows(of: set) {
            let round = occurrences[Array(row[..<keyCount]), default: 0]
            occurrences[Array(row[..<keyCount])] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(row)
        }
        let statement = MultiRowStatement(layout: layout, upsert: true)
        var changed = 0
        for round in rounds {
            for chunk in statement.chunks(of: round) {
                changed += try await count(
                    statement.sql(rows: chunk.count), statement.parameters(of: chunk, sessionID: sessionID))
            }
        }
        return changed
    }
}
