import Archive
import SessionSyncSupport

/// Which per-session work a listed or revisited session asks for.
///
/// Participants are versioned by the session's `updated_at`, so they are fetched when a session
/// is new, whenever it changes while live, and once more when it ends. Exports exist only after
/// a session ended; they are versioned by `ended_at` and expire with upstream retention.
struct RealtimeKitChildWork {
    static let participantsKind = "participants"

    let settings: RealtimeKitSettings

    func requests(for session: RealtimeKitSessionMapper.Mapped) -> [QueueRequest] {
        var requests: [QueueRequest] = []
        let id = session.record.externalID
        if settings.participants {
            let version = session.updatedAtText ?? (session.isEnded ? "ended" : "live")
            requests.append(QueueRequest(kind: Self.participantsKind, externalID: id, version: version))
        }
        guard session.isEnded, let endedAt = session.endedAt else { return requests }
        for export in exports {
            requests.append(
                QueueRequest(
                    kind: export.queueKind, externalID: id, version: endedAt.iso8601,
                    expiresAt: endedAt.adding(RealtimeKitExport.retention))
            )
        }
        return requests
    }

    /// The exports this source archives.
    var exports: [RealtimeKitExport] {
        RealtimeKitExport.allCases.filter { export in
            switch export {
            case .chat: settings.chat
            case .transcript: settings.transcripts
            }
        }
    }
}
