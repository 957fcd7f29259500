import Archive
import SessionSyncSupport
import SyncEngine

/// isnotai ("Not AI") activity sessions: the listing (`GET /v1/sessions`, cursor paging by
/// creation time) discovers them, and `GET /v1/sessions/{id}/details` brings each finished
/// session's times, event counts, activity timeline and page history.
///
/// A pass: moves `detail_requests` (and `sessionsync enqueue`) into the fetch queue, queues the
/// configured `sessionIds` it has never archived, lists from the cursor (the newest `createdAt`
/// seen) minus the lookback, revisits unfinished sessions the listing no longer covers, and
/// fetches the details of every session that finished or changed (its `updatedAt` moved) since
/// they were last fetched. Details without an end time are fetched again on later passes.
public struct IsNotAIProvider: Provider {
    static let detailsKind = "details"
    static let listEndpoint = "GET /v1/sessions"
    static let sessionEndpoint = "GET /v1/sessions/{id}"
    static let detailsEndpoint = "GET /v1/sessions/{id}/details"

    let settings: IsNotAISettings
    let baseURL: BaseURL

    public init(source: SourceConfiguration) {
        guard let settings = source.settings as? IsNotAISettings else {
            preconditionFailure("an isnotai source carries IsNotAISettings")
        }
        self.settings = settings
        self.baseURL = source.baseURL
    }

    public var credentials: [(String, String)] {
        // Bearer rather than x-api-key: the API's edge rate limiter gives each Authorization
        // value its own bucket, while x-api-key callers share one per plan.
        [("Authorization", "Bearer \(settings.apiKey.reveal())")]
    }

    public func describeError(status: Int, body: [UInt8]) -> String? {
        let envelope = IsNotAIErrorEnvelope.message(body)
        guard status == 401 else { return envelope }
        return (envelope ?? "unauthorized") + "; " + regionHint
    }

    /// Keys are bound to one region: a valid key sent to the other region's host is refused too.
    var regionHint: String {
        let host = baseURL.host.lowercased()
        let region =
            host == "api.isnotai.com"
            ? "the US region (an EU key needs https://api-eu.isnotai.com)"
            : host == "api-eu.isnotai.com"
                ? "the EU region (a US key needs https://api.isnotai.com)"
                : "neither https://api.isnotai.com (US) nor https://api-eu.isnotai.com (EU)"
        return
            "either the apiKey is wrong or it belongs to the other region: isnotai keys work only in the region that issued them, and this source's baseURL \(baseURL.origin) is \(region)"
    }

    public func probe(_ http: SourceHTTP) async throws -> String {
        let response = try await http.send(
            APIRequest(path: "/v1/sessions", query: [("pageSize", "1")], endpoint: Self.listEndpoint))
        let document = try response.json()
        let count = try http.map(Self.listEndpoint) { () throws(JSONShapeError) in
            try document.root.requireArray("data").count
        }
        guard let plan = IsNotAIPlan(header: response.header(IsNotAIPlan.header)) else {
            return
                "authenticated (no \(IsNotAIPlan.header) header, plan unknown); \(count) session(s) on the first page"
        }
        return
            "authenticated; \(plan.name) plan (\(plan.windowDescription) history, pages of up to \(plan.maxPageSize)); \(count) session(s) on the first page"
    }

    /// A discovery that fails still leaves the details already asked for to be fetched (see ``PassStages``).
    public func sync(_ pass: SyncPass) async throws {
        var stages = PassStages()
        await stages.run {
            try await pass.archive.drainDetailRequests(kind: Self.detailsKind)
            try await queueConfiguredSessions(pass)
        }
        if settings.discover {
            await stages.run { try await IsNotAIDiscovery(settings: settings).run(pass) }
        }
        await stages.run { try await IsNotAIDetailFetcher(settings: settings).run(pass) }
        try stages.finish()
    }

    /// Queues the configured ids that are not archived yet. Once a session is archived, its
    /// listing row (when it has one) asks for new details whenever it changes; an id that was
    /// given up stays given up (re-queueing the same version changes nothing) until `enqueue`.
    private func queueConfiguredSessions(_ pass: SyncPass) async throws {
        var batch = ArchiveBatch()
        for id in settings.sessionIDs where try await pass.archive.session(externalID: id) == nil {
            batch.enqueue.append(QueueRequest(kind: Self.detailsKind, externalID: id))
        }
        try await pass.archive.commit(batch)
    }
}
