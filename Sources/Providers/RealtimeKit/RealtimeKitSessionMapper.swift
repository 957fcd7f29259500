import Archive
import SessionSyncSupport

/// Maps a RealtimeKit session object (a `/sessions` row, or the session of a details answer).
enum RealtimeKitSessionMapper {
    struct Mapped {
        var record: SessionRecord
        let createdAt: Timestamp
        /// `updated_at` as the API wrote it: the version of the session's participants.
        let updatedAtText: String?
        let isEnded: Bool
        let endedAt: Timestamp?
    }

    /// Members copied into the `metadata` JSON (besides the normalised timestamps).
    static let metadataKeys = ["associated_id", "organization_id", "live_participants", "max_concurrent_participants", "minutes_consumed"]

    static func map(_ row: JSONValue) throws(JSONShapeError) -> Mapped {
        let id = try row.requireID("id")
        let type = try row.optionalString("type")
        var record = SessionRecord(externalID: id, kind: kind(type))
        let status = try row.requireString("status").lowercased()
        record.status = status
        record.title = try row.optionalString("meeting_display_name")
        let createdAt = try requireTimestamp(row, "created_at")
        let startedAt = try timestamp(row, "started_at")
        let endedAt = try timestamp(row, "ended_at")
        let isEnded = status == "ended"
        record.startedAt = startedAt
        record.endedAt = endedAt
        if isEnded, let startedAt, let endedAt {
            record.durationSeconds = Double(endedAt.millisecondsSinceEpoch - startedAt.millisecondsSinceEpoch) / 1000
        } else {
            record.durationSeconds = nil
        }
        let updatedAt = try timestamp(row, "updated_at")
        var metadata: [(String, JSONOutput)] = []
        for key in metadataKeys {
            if let value = row[key], !value.isNull { metadata.append((key, .raw(value.rawText))) }
        }
        for (key, value) in [("created_at", Optional(createdAt)), ("updated_at", updatedAt)] {
            if let value { metadata.append((key, .string(value.iso8601))) }
        }
        if let meta = row["meta"], !meta.isNull { metadata.append(("meta", .raw(meta.rawText))) }
        record.metadata = JSONOutput.object(metadata).text
        record.raw = row.rawText
        record.children = [.metadata(try entries(row))]
        return Mapped(
            record: record, createdAt: createdAt, updatedAtText: try row.optionalString("updated_at"), isEnded: isEnded, endedAt: endedAt
        )
    }

    /// The session's kind; an unknown type (a newer API) is archived as a meeting, its raw keeps the truth.
    static func kind(_ type: String?) -> SessionKind {
        switch type?.lowercased() {
        case "livestream": .livestream
        case "participant": .participant
        default: .meeting
        }
    }

    /// `session_metadata` rows: the meeting id and the members of `meta`, for BI filters.
    private static func entries(_ row: JSONValue) throws(JSONShapeError) -> [MetadataEntry] {
        var entries: [MetadataEntry] = []
        if let associated = try row.optionalID("associated_id") {
            entries.append(MetadataEntry(key: "associated_id", value: associated))
        }
        if let meta = row["meta"], meta.kind == .object {
            for (key, value) in meta.members {
                entries.append(MetadataEntry(key: "meta.\(key)", value: value.isNull ? nil : value.string ?? value.rawText))
            }
        }
        return entries
    }

    static func timestamp(_ row: JSONValue, _ key: String) throws(JSONShapeError) -> Timestamp? {
        guard let text = try row.optionalString(key) else { return nil }
        guard let value = Timestamp(iso8601: text) else {
            throw JSONShapeError(path: row[key]?.path ?? row.path, problem: "\"\(text)\" is not an ISO-8601 date-time")
        }
        return value
    }

    private static func requireTimestamp(_ row: JSONValue, _ key: String) throws(JSONShapeError) -> Timestamp {
        guard let value = try timestamp(row, key) else {
            throw JSONShapeError(path: row[key]?.path ?? row.path, problem: "missing member \"\(key)\" (the listing's cursor)")
        }
        return value
    }
}
