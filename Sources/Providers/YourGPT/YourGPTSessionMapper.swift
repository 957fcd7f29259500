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

    static func map(_ row: JSONValue) throws(JSONShapeError) -> Mapped {
        let uid = try row.requireID("session_uid")
        var record = SessionRecord(externalID: uid, kind: .chat)
        let state = try row.optionalString("state")
        record.status = state?.lowercased()
        record.country = try row.optionalString("country")
        record.deviceType = try row.optionalString("device_type")
        let createdAt = try timestamp(row, "created_at")
        record.startedAt = createdAt
        let contactID = try row.optionalID("contact_id")
        record.userID = contactID == "0" ? nil : contactID
        let lastMessageTime = try timestamp(row, "last_message_time")
        let lastMessageID = try row.optionalID("last_message_id")
        var metadata: [(String, JSONOutput)] = []
        for key in ["id", "project_id", "integration_id", "status", "chat_mode", "platform", "segment", "total_unseen",
            "last_message_id", "last_message_content_type", "last_message_type", "contact_id"]
        {
            if let value = row[key], !value.isNull { metadata.append((key, .raw(value.rawText))) }
        }
        for (key, value) in [("created_at", createdAt), ("updated_at", try timestamp(row, "updated_at")), ("last_message_time", lastMessageTime)] {
            if let value { metadata.append((key, .string(value.iso8601))) }
        }
        record.metadata = JSONOutput.object(metadata).text
        record.raw = row.rawText
        var entries: [MetadataEntry] = []
        for objectKey in flattened {
            guard let object = try row.optionalObject(objectKey) else { continue }
            for (key, value) in object.members where !isAddress(key) {
                entries.append(MetadataEntry(key: "\(objectKey).\(key)", value: value.isNull ? nil : value.string ?? value.rawText))
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

    private static func timestamp(_ row: JSONValue, _ key: String) throws(JSONShapeError) -> Timestamp? {
        guard let text = try row.optionalString(key) else { return nil }
        guard let value = Timestamp(iso8601: text) else {
            throw JSONShapeError(path: (row[key]?.path ?? row.path), problem: "\"\(text)\" is not an ISO-8601 date-time")
        }
        return value
    }
}
