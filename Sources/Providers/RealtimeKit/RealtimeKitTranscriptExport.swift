import Archive
import SessionSyncSupport

/// Reads a transcript export: columns `Timestamp, Participant ID, User ID, Custom Participant ID,
/// Participant Name, Transcript`; lines keep the file's order.
enum RealtimeKitTranscriptExport {
    static func lines(_ table: RealtimeKitCSVTable) throws(RealtimeKitCSVTable.ReadError) -> [TranscriptLine] {
        guard !table.header.isEmpty else { return [] }
        let text = try table.requireColumns(["Transcript"])[0]
        let time = table.column("Timestamp")
        let participant = table.column("Participant ID")
        let name = table.column("Participant Name")
        let custom = table.column("Custom Participant ID")
        let user = table.column("User ID")
        return table.rows.map { row in
            TranscriptLine(
                spokenAt: RealtimeKitCSVTable.cell(row, time).flatMap(RealtimeKitExportTime.parse),
                participantExternalID: RealtimeKitCSVTable.cell(row, participant),
                speaker: RealtimeKitCSVTable.cell(row, name) ?? RealtimeKitCSVTable.cell(row, custom)
                    ?? RealtimeKitCSVTable.cell(row, user),
                text: text < row.count ? row[text] : nil
            )
        }
    }
}
