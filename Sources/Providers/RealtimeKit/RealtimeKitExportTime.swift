import Foundation
import SessionSyncSupport

/// Times in export files: ISO-8601 (leniently), or epoch milliseconds. A value that is neither
/// leaves the column NULL; the row's `raw` keeps what the file said.
enum RealtimeKitExportTime {
    static func parse(_ text: String) -> Timestamp? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let time = Timestamp(iso8601: trimmed) { return time }
        if trimmed.count >= 12, let milliseconds = Int64(trimmed) {
            return Timestamp(validMillisecondsSinceEpoch: milliseconds)
        }
        return nil
    }
}
