import Archive
import SessionSyncSupport

/// One of the per-session export files: the endpoint that hands out its download link, and how
/// its CSV becomes rows.
enum RealtimeKitExport: CaseIterable, Sendable {
    case chat
    case transcript

    /// Upstream keeps chat and transcripts for 7 days after the session ended.
    static let retention: Duration = .seconds(7 * 86_400)

    /// The fetch-queue kind.
    var queueKind: String {
        switch self {
        case .chat: "chat"
        case .transcript: "transcript"
        }
    }

    var pathSuffix: String {
        queueKind
    }

    /// The `data` member holding the download link.
    var linkField: String {
        switch self {
        case .chat: "chat_download_url"
        case .transcript: "transcript_download_url"
        }
    }

    var linkEndpoint: String {
        "GET /realtime/kit/{app_id}/sessions/{session_id}/\(pathSuffix)"
    }

    /// How a download names itself in errors (the link is signed: it is never logged).
    var downloadEndpoint: String {
        "GET \(queueKind) export file (\(linkField))"
    }

    /// The child set the file's rows replace.
    func childSet(_ table: RealtimeKitCSVTable) throws(RealtimeKitCSVTable.ReadError) -> ChildSet {
        switch self {
        case .chat: .messages(try RealtimeKitChatExport.messages(table))
        case .transcript: .transcripts(try RealtimeKitTranscriptExport.lines(table))
        }
    }
}
