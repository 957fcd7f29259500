import Archive
import SessionSyncSupport

/// Maps a `getSessions` row to a session.
enum YourGPTSessionMapper {
    struct Mapped {
        let record: SessionRecord
        let lastMessageTime: Timestamp?
        let lastMessageID: String?
    }

    /// Objects flattened one level into `session_metadata` (`visitor_data.name`, ...).
    static let flattened = ["data", "visitor_data", "contact_data", "session_meta"]

    /// Maps `row`; only `session_uid` and a `last_message_time` that is there (the listing's
    /// order and cursor) are required, any other field that drifted is left NULL.
    static func map(_ row: JSONValue, _ drift: inout SchemaDriftLog) throws(JSONShapeError) -> Mapped {
        let uid = try row.requireID("session_uid")
        let lastMessageTime = try row.optionalTimestamp("last_message_time")
        var record = SessionRecord(externalID: uid, kind: .chat)
        record.status = row.lenientString("state", &drift)?.lowercased()
        record.country = row.lenientString("country", &drift)
        record.deviceType = row.lenientString("device_type", &drift)
        let createdAt = row.lenientTimestamp("created_at", &drift)
        record.startedAt = createdAt
        let contactID = row.lenientID("contact_id", &drift)
        record.userID = contactID == "0" ? nil : contactID
        let lastMessageID = row.lenientID("last_message_id", &drift)
        var metadata: [(String, JSONOutput)] = []
        for key in [
            "id", "project_id", "integration_id", "status", "chat_mode", "platform", "segment", "total_unseen",
            "last_message_id", "last_message_content_type", "last_message_type", "contact_id",
        ] {
            if let value = row[key], !value.isNull { metadata.append((key, .raw(value.rawText))) }
        }
        for (key, value) in [
            ("created_at", createdAt), ("updated_at", row.lenientTimestamp("updated_at", &drift)),
            ("last_message_time", lastMessageTime),
        ] {
            if let value { metadata.append((key, .string(value.iso8601))) }
        }
        record.metadata = JSONOutput.object(metadata).text
        record.raw = row.rawText
        var entries: [MetadataEntry] = []
        for objectKey in flattened {
            guard let object = row.lenientObject(objectKey, &drift) else { continue }
            for (key, value) in object.members where !isAddress(key) {
                entries.append(
                    MetadataEntry(key: "\(objectKey).\(key)", value: value.isNull ? nil : value.string ?? value.rawText)
                )
            }
        }
        record.children = [.metadata(entries)]
        return Mapped(record: record, lastMessageTime: lastMessageTime, lastMessageID: lastMessageID)
    }

    /// The visitor's IP address stays in `raw` only.
    private static func isAddress(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered == "ip" || lowered == "ip_address" || lowered == "ipaddress"
    }
}
