import SQLiteDB
import SessionSyncSupport

/// Where a child set's rows live and what identifies each of them within its session: the
/// table, the key columns (with `session_id`, a unique key of the table) and the value columns,
/// with each row of a set as the values stored there. `renormalize` compares and rewrites child
/// rows one by one through it, so that a change rewrites the rows that changed and no others.
public struct ChildTableLayout: Sendable {
    public let table: String
    public let keyColumns: [String]
    public let valueColumns: [String]

    /// A row as stored: its key values, then its other values, in the layout's column order.
    public typealias Row = [SQLiteValue]

    public static func of(_ set: ChildSet) -> ChildTableLayout {
        switch set {
        case .participants:
            ChildTableLayout(
                table: "participants", keyColumns: ["external_id"],
                valueColumns: ["user_id", "display_name", "role", "joined_at", "left_at", "duration_seconds", "raw"])
        case .pageHistory:
            ChildTableLayout(
                table: "page_history", keyColumns: ["seq"], valueColumns: ["url", "visited_at", "type", "duration_ms"])
        case .timeline:
            ChildTableLayout(
                table: "timeline", keyColumns: ["bucket_at"],
                valueColumns: ["event_count", "dominant_event_type", "activity_level"])
        case .eventCounts:
            ChildTableLayout(table: "event_counts", keyColumns: ["event_type"], valueColumns: ["count"])
        case .metadata:
            ChildTableLayout(table: "session_metadata", keyColumns: ["key"], valueColumns: ["value"])
        case .messages, .appendMessages:
            ChildTableLayout(
                table: "messages", keyColumns: ["external_id"],
                valueColumns: ["sender", "sent_at", "content_type", "body", "raw"])
        case .transcripts:
            ChildTableLayout(
                table: "transcripts", keyColumns: ["seq"],
                valueColumns: ["spoken_at", "participant_external_id", "speaker", "text"])
        }
    }

    /// The set's rows as the pass's writer stores them. Rows with the same key keep the last
    /// one, as the writer's upserts and `INSERT OR REPLACE` do; sequence numbers are positions.
    public static func rows(of set: ChildSet) -> [Row] {
        switch set {
        case .participants(let rows):
            rows.map {
                [
                    .text($0.externalID), .optional($0.userID), .optional($0.displayName), .optional($0.role),
                    .optional($0.joinedAt?.iso8601), .optional($0.leftAt?.iso8601), .optional($0.durationSeconds),
                    .text($0.raw),
                ]
            }
        case .pageHistory(let rows):
            rows.enumerated().map { seq, row in
                [
                    .integer(Int64(seq)), .optional(row.url), .optional(row.visitedAt?.iso8601), .optional(row.type),
                    .optional(row.durationMilliseconds),
                ]
            }
        case .timeline(let rows):
            rows.map {
                [
                    .text($0.bucketAt.iso8601), .optional($0.eventCount), .optional($0.dominantEventType),
                    .optional($0.activityLevel),
                ]
            }
        case .eventCounts(let rows):
            rows.map { [.text($0.eventType), .integer($0.count)] }
        case .metadata(let rows):
            rows.map { [.text($0.key), .optional($0.value)] }
        case .messages(let rows), .appendMessages(let rows):
            rows.map {
                [
                    .text($0.externalID), .optional($0.sender), .optional($0.sentAt?.iso8601),
                    .optional($0.contentType), .optional($0.body), .text($0.raw),
                ]
            }
        case .transcripts(let rows):
            rows.enumerated().map { seq, row in
                [
                    .integer(Int64(seq)), .optional(row.spokenAt?.iso8601), .optional(row.participantExternalID),
                    .optional(row.speaker), .optional(row.text),
                ]
            }
        }
    }

    /// The set's rows with one row per key, as stored: the last row of a key wins (as the
    /// writer's upserts and `INSERT OR REPLACE` make it), at the place of the key's first row.
    public static func storedRows(of set: ChildSet) -> [Row] {
        let keyCount = of(set).keyColumns.count
        var rows: [Row] = []
        var positionByKey: [[SQLiteValue]: Int] = [:]
        for row in Self.rows(of: set) {
            let key = Array(row[..<keyCount])
            if let position = positionByKey[key] {
                rows[position] = row
            } else {
                positionByKey[key] = rows.count
                rows.append(row)
            }
        }
        return rows
    }

    /// Inserts a row, or updates the stored row of its key when a value differs; changes nothing
    /// (so that `changes()` is 0) when the row is stored as it is.
    var upsertSQL: String {
        let columns = ["session_id"] + keyColumns + valueColumns
        let placeholders = columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        let assignments = valueColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let differs = valueColumns.map { "\(table).\($0) IS NOT excluded.\($0)" }.joined(separator: " OR ")
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))
            ON CONFLICT (\((["session_id"] + keyColumns).joined(separator: ", "))) DO UPDATE SET \(assignments)
            WHERE \(differs)
            """
    }

    var selectKeysSQL: String {
        "SELECT \(keyColumns.joined(separator: ", ")) FROM \(table) WHERE session_id = ?1"
    }

    var deleteSQL: String {
        let keys = keyColumns.enumerated().map { "\($1) = ?\($0 + 2)" }.joined(separator: " AND ")
        return "DELETE FROM \(table) WHERE session_id = ?1 AND \(keys)"
    }
}
