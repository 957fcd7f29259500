import Archive
import SessionSyncSupport
import SyncEngine

extension YourGPTProvider {
    /// The listing row and every archived message.
    public func remap(_ stored: StoredSession) -> RemappedSession {
        var mapper = StoredPayloadMapper()
        var record = mapper.map(stored.raw, column: "raw", endpoint: Self.sessionsEndpoint) {
            row, drift throws(JSONShapeError) in
            try YourGPTSessionMapper.map(row, &drift).record
        }
        if !stored.messageRaws.isEmpty,
            let messages = mapper.mapAll(
                stored.messageRaws, column: "messages.raw", endpoint: Self.messagesEndpoint,
                { row, drift throws(JSONShapeError) in try YourGPTMessageMapper.map(row, &drift) })
        {
            if record == nil { record = SessionRecord(externalID: stored.externalID, kind: .chat) }
            // Messages are added as they come, never replaced as a set: no fingerprint to keep.
            record?.children.append(.appendMessages(messages))
        }
        return mapper.remapped(record)
    }

    public func retry(_ entry: QuarantineEntry) -> QuarantineRetry {
        guard entry.endpoint == Self.sessionsEndpoint else {
            return .notRetried("a message; `sessionsync enqueue` fetches the session's messages again")
        }
        var mapper = StoredPayloadMapper()
        let session = mapper.map(entry.raw, column: "quarantine.raw", endpoint: entry.endpoint) {
            row, drift throws(JSONShapeError) in
            try YourGPTSessionMapper.map(row, &drift)
        }
        return mapper.retried(session.map { ArchiveBatch(sessions: [$0.record], enqueue: messagesRequests(for: $0)) })
    }
}
