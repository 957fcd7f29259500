import SessionSyncSupport

@testable import Archive

/// What the archive writer does with a mapped batch before any SQL runs: every timestamp is
/// written as text, every child set fingerprinted, drift and quarantined rows described. A
/// mapping that yields a value the writer cannot handle (a timestamp outside what `iso8601`
/// writes) is found here, without a database.
enum ArchivedForm {
    static func prepare(_ batch: ArchiveBatch) {
        for record in batch.sessions {
            prepare(record)
        }
        for children in batch.sessionChildren {
            for set in children.children { prepare(set) }
        }
        for drift in batch.drift {
            _ = "\(drift)"
        }
        for record in batch.quarantined {
            _ = record.externalID
            _ = record.reason
        }
    }

    static func prepare(_ record: SessionRecord) {
        _ = record.startedAt?.iso8601
        _ = record.endedAt?.iso8601
        for set in record.children {
            prepare(set)
        }
    }

    private static func prepare(_ set: ChildSet) {
        _ = ChildSetFingerprint.of(set)
        switch set {
        case .participants(let rows):
            for row in rows {
                _ = row.joinedAt?.iso8601
                _ = row.leftAt?.iso8601
            }
        case .pageHistory(let rows):
            for row in rows { _ = row.visitedAt?.iso8601 }
        case .timeline(let rows):
            for row in rows { _ = row.bucketAt.iso8601 }
        case .messages(let rows), .appendMessages(let rows):
            for row in rows { _ = row.sentAt?.iso8601 }
        case .transcripts(let rows):
            for row in rows { _ = row.spokenAt?.iso8601 }
        case .eventCounts, .metadata:
            break
        }
    }

    static func prepare(_ timestamp: Timestamp?) {
        _ = timestamp?.iso8601
    }
}
