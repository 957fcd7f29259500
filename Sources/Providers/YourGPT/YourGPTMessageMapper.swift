import Archive
import SessionSyncSupport

/// Maps a `getSessionMessages` row to a message.
enum YourGPTMessageMapper {
    static func map(_ row: JSONValue) throws(JSONShapeError) -> MessageRecord {
        let id = try row.requireID("id")
        let sentText = try row.optionalString("createdAt")
        let sentAt = sentText.flatMap(Timestamp.init(iso8601:))
        if let sentText, sentAt == nil {
            throw JSONShapeError(path: (row["createdAt"]?.path ?? row.path), problem: "\"\(sentText)\" is not an ISO-8601 date-time")
        }
        return MessageRecord(
            externalID: id, sender: try row.optionalString("send_by"), sentAt: sentAt,
            contentType: try row.optionalString("content_type"), body: try row.optionalString("message"), raw: row.rawText
        )
    }
}
