import Archive
import SessionSyncSupport

/// Maps a `getSessionMessages` row to a message.
enum YourGPTMessageMapper {
    static func map(_ row: JSONValue, _ drift: inout SchemaDriftLog) throws(JSONShapeError) -> MessageRecord {
        MessageRecord(
            externalID: try row.requireID("id"), sender: row.lenientString("send_by", &drift),
            sentAt: row.lenientTimestamp("createdAt", &drift),
            contentType: row.lenientString("content_type", &drift), body: row.lenientString("message", &drift),
            raw: row.rawText
        )
    }
}
