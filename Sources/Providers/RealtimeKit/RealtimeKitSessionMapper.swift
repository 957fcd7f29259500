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
    static let metadataKeys = [
        "associated_id", "organization_id", "live_participants", "max_concurrent_participants", "minutes_consumed",
    ]

    /// Maps `row`; only its id and `created_at` (the listing's cursor) are required, any other
    /// field of an unexpected type or format is left NULL and recorded in `drift`.
    static func map(_ row: JSONValue, _ drift: inout SchemaDriftLog) throws(JSONShapeError) -> Mapped {
        let id = try row.requireID("id")
        let createdAt = try row.requireTimestamp("created_at")
        var record = SessionRecord(externalID: id, kind: kind(row.lenientString("type", &drift)))
        let status = row.lenientString("status", &drift)?.lowercased()
        record.status = status
        record.title = row.lenientString("meeting_display_name", &drift)
        let startedAt = row.lenientTimestamp("started_at", &drift)
        let endedAt = row.lenientTimestamp("ended_at", &drift)
        let isEnded = status == "ended"
        record.startedAt = startedAt
        record.endedAt = endedAt
        if isEnded, let startedAt, let endedAt {
            record.durationSeconds = Double(endedAt.millisecondsSinceEpoch - startedAt.millisecondsSinceEpoch) / 1000
        } else {
            record.durationSeconds = nil
        }
        let updatedAt = row.lenientTimestamp("updated_at", &drift)
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
        record.children = [.metadata(entries(row, &drift))]
        // The text as the API wrote it is the participants' version; a drifted one is no version.
        let updatedAtText = updatedAt == nil ? nil : row["updated_at"]?.string
        return Mapped(
            record: record, createdAt: createdAt, updatedAtText: updatedAtText, isEnded: isEnded, endedAt: endedAt)
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
    private static func entries(_ row: JSONValue, _ drift: inout SchemaDriftLog) -> [MetadataEntry] {
        var entries: [MetadataEntry] = []
        if let associated = row.lenientID("associated_id", &drift) {
            entries.append(MetadataEntry(key: "associated_id", value: associated))
        }
        if let meta = row.lenientObject("meta", &drift) {
            for (key, value) in meta.members {
                entries.append(
                    MetadataEntry(key: "meta.\(key)", value: value.isNull ? nil : value.string ?? value.rawText))
            }
        }
        return entries
    }
}
