import Archive
import SessionSyncSupport
import SyncEngine

extension RealtimeKitProvider {
    /// The session object (from the listing or the latest revisit), its participants and its
    /// chat export's rows. Transcript lines keep no payload of their own and are left as they are.
    public func remap(_ stored: StoredSession) -> RemappedSession {
        var mapper = StoredPayloadMapper()
        var record = mapper.map(stored.raw, column: "raw", endpoint: RealtimeKitAPI.sessionsEndpoint) {
            row, drift throws(JSONShapeError) in
            try RealtimeKitSessionMapper.map(row, &drift).record
        }
        var children: [ChildSet] = []
        if !stored.participantRaws.isEmpty,
            let participants = mapper.mapAll(
                stored.participantRaws, column: "participants.raw", endpoint: RealtimeKitAPI.participantsEndpoint,
                { row, drift throws(JSONShapeError) in try RealtimeKitParticipantMapper.map(row, &drift) })
        {
            children.append(.participants(participants))
        }
        if !stored.messageRaws.isEmpty,
            let messages = mapper.mapAll(
                stored.messageRaws, column: "messages.raw", endpoint: RealtimeKitExport.chat.downloadEndpoint,
                { row, _ throws(JSONShapeError) in try RealtimeKitChatExport.message(storedRow: row) })
        {
            children.append(.messages(messages))
        }
        if !children.isEmpty {
            if record == nil { record = SessionRecord(externalID: stored.externalID, kind: stored.kind ?? .meeting) }
            record?.children += children
        }
        return mapper.remapped(record)
    }

    public func retry(_ entry: QuarantineEntry) -> QuarantineRetry {
        guard entry.endpoint == RealtimeKitAPI.sessionsEndpoint else {
            return .notRetried(
                "a row of a session's participants; `sessionsync enqueue` fetches the session's participants again")
        }
        var mapper = StoredPayloadMapper()
        let session = mapper.map(entry.raw, column: "quarantine.raw", endpoint: entry.endpoint) {
            row, drift throws(JSONShapeError) in
            try RealtimeKitSessionMapper.map(row, &drift)
        }
        // As the listing archives it, with the participants and exports it asks for.
        return mapper.retried(
            session.map {
                ArchiveBatch(sessions: [$0.record], enqueue: RealtimeKitChildWork(settings: settings).requests(for: $0))
            })
    }
}
