import Archive
import SessionSyncSupport
import SyncEngine

extension OpenReplayProvider {
    /// Whether a session is live, and when it ended, is what the listings' presence decided,
    /// not its payload (which says live, as every listed session was).
    static let presenceColumns: SessionColumns = [.status, .endedAt, .durationSeconds]

    public func remap(_ stored: StoredSession) -> RemappedSession {
        var mapper = StoredPayloadMapper()
        var record = mapper.map(stored.raw, column: "raw", endpoint: search.endpoint) {
            row, drift throws(JSONShapeError) in
            try OpenReplaySessionMapper.map(row, &drift)
        }
        record?.forget(Self.presenceColumns)
        return mapper.remapped(record)
    }

    public func retry(_ entry: QuarantineEntry) -> QuarantineRetry {
        guard entry.endpoint == search.endpoint else {
            return .notRetried("not a record of the \(search.endpoint) listing")
        }
        var mapper = StoredPayloadMapper()
        let record = mapper.map(entry.raw, column: "quarantine.raw", endpoint: entry.endpoint) {
            row, drift throws(JSONShapeError) in
            try OpenReplaySessionMapper.map(row, &drift)
        }
        // Archived live, as a listing would; the next trusted listings end it when it is gone.
        return mapper.retried(record.map { ArchiveBatch(sessions: [$0]) })
    }
}
