import SessionSyncSupport
import SyncEngine

/// The RealtimeKit requests a source makes, under `/accounts/{account_id}/realtime/kit/{app_id}`.
struct RealtimeKitAPI: Sendable {
    static let sessionsEndpoint = "GET /realtime/kit/{app_id}/sessions"
    static let sessionEndpoint = "GET /realtime/kit/{app_id}/sessions/{session_id}"
    static let participantsEndpoint = "GET /realtime/kit/{app_id}/sessions/{session_id}/participants"

    let accountID: String
    let appID: String

    private var root: String {
        "/accounts/\(accountID)/realtime/kit/\(appID)"
    }

    /// A page of sessions created since `start`, oldest first.
    func sessions(_ http: SourceHTTP, createdSince start: Timestamp, page: Int, perPage: Int) async throws
        -> JSONDocument
    {
        let request = APIRequest(
            path: root + "/sessions",
            query: [
                ("start_time", start.iso8601), ("sort_by", "createdAt"), ("sort_order", "ASC"),
                ("page_no", String(page)), ("per_page", String(perPage)),
            ],
            endpoint: Self.sessionsEndpoint
        )
        return try RealtimeKitEnvelope.checked(try await http.send(request))
    }

    func session(_ http: SourceHTTP, id: String) async throws -> JSONDocument {
        let request = APIRequest(path: root + "/sessions/" + APIRequest.pathSegment(id), endpoint: Self.sessionEndpoint)
        return try RealtimeKitEnvelope.checked(try await http.send(request))
    }

    func participants(_ http: SourceHTTP, sessionID: String, page: Int, perPage: Int) async throws -> JSONDocument {
        let request = APIRequest(
            path: root + "/sessions/" + APIRequest.pathSegment(sessionID) + "/participants",
            query: [
                ("page_no", String(page)), ("per_page", String(perPage)), ("sort_by", "joinedAt"),
                ("sort_order", "ASC"),
            ],
            endpoint: Self.participantsEndpoint
        )
        return try RealtimeKitEnvelope.checked(try await http.send(request))
    }

    /// The answer carrying an export's download link (`/chat` or `/transcript`), unchecked:
    /// there `success: false` means "not available (yet)", not a failure of the source.
    func exportLink(_ http: SourceHTTP, sessionID: String, export: RealtimeKitExport) async throws -> APIResponse {
        let request = APIRequest(
            path: root + "/sessions/" + APIRequest.pathSegment(sessionID) + "/" + export.pathSuffix,
            endpoint: export.linkEndpoint)
        return try await http.send(request)
    }
}
