import Archive
import SessionSyncSupport

/// Reads a chat export: columns `id, participantId, sessionId, meetingId, displayName, pinned,
/// isEdited, payloadType, payload, createdAt`.
enum RealtimeKitChatExport {
    static func messages(_ table: RealtimeKitCSVTable) throws(RealtimeKitCSVTable.ReadError) -> [MessageRecord] {
        guard !table.header.isEmpty else { return [] }
        let required = try table.requireColumns(["id", "payload"])
        let (id, payload) = (required[0], required[1])
        let participant = table.column("participantId")
        let name = table.column("displayName")
        let type = table.column("payloadType")
        let created = table.column("createdAt")
        var messages: [MessageRecord] = []
        for (line, row) in table.rows.enumerated() {
            guard let externalID = RealtimeKitCSVTable.cell(row, id) else {
                throw RealtimeKitCSVTable.ReadError(description: "record \(line + 1) has no id")
            }
            messages.append(
                MessageRecord(
                    externalID: externalID,
                    sender: RealtimeKitCSVTable.cell(row, name) ?? RealtimeKitCSVTable.cell(row, participant),
                    sentAt: RealtimeKitCSVTable.cell(row, created).flatMap(RealtimeKitExportTime.parse),
                    contentType: RealtimeKitCSVTable.cell(row, type),
                    body: payload < row.count ? row[payload] : nil,
                    raw: table.json(row)
                )
            )
        }
        return messages
    }

    /// The message of one stored row (`messages.raw`, the row as ``RealtimeKitCSVTable/json(_:)`` kept it).
    static func message(storedRow: JSONValue) throws(JSONShapeError) -> MessageRecord {
        let table = try RealtimeKitCSVTable(storedRow: storedRow)
        let rows: [MessageRecord]
        do {
            rows = try messages(table)
        } catch {
            throw JSONShapeError(path: storedRow.path, problem: error.description)
        }
        guard let message = rows.first else { throw storedRow.mismatch("a chat export row") }
        return message
    }
}
