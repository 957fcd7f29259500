import Archive
import SessionSyncSupport
import SyncEngine

/// One walk of `GET /v1/sessions` from a `startDate` until `hasMore` is false, committing each
/// page (its rows, and a details request for each finished session) as it arrives.
///
/// A finished session whose details are wanted anew gets them right away (``IsNotAIPageWriter``);
/// pages commit in chunks, in the background, while the walk goes on.
///
/// The sort order of the listing is undocumented, so the walk never stops early and never
/// assumes which page holds the newest session. The opaque `nextCursor` lives only for the walk.
struct IsNotAIListingWalk {
    struct Summary {
        var rows = 0
        var pages = 0
        var newestCreatedAt: Timestamp?
        /// The plan named by the last answer's `x-isnotai-tier` header.
        var plan: IsNotAIPlan?
        /// The ids listed, kept only for a `status` listing (a few unfinished sessions), so that
        /// a full listing's memory does not grow with the number of sessions.
        var seen: Set<String> = []
    }

    let settings: IsNotAISettings
    let startDate: Timestamp
    /// A `status` filter (`active` when revisiting unfinished sessions); nil lists every status.
    var status: String?

    func run(_ pass: SyncPass) async throws -> Summary {
        try await pass.archive.withCommitPipeline { pipeline in try await walk(pass, &pipeline) }
    }

    private func walk(_ pass: SyncPass, _ pipeline: inout CommitPipeline) async throws -> Summary {
        var summary = Summary()
        var cursor: String?
        var usedCursors: Set<String> = []
        for _ in 1...ListingBound.pages {
            try Task.checkCancellation()
            var query = [("pageSize", "\(settings.pageSize)"), ("startDate", startDate.iso8601)]
            if let status { query.append(("status", status)) }
            if let cursor { query.append(("cursor", cursor)) }
            let response = try await pass.http.send(
                APIRequest(path: "/v1/sessions", query: query, endpoint: IsNotAIProvider.listEndpoint))
            if let plan = IsNotAIPlan(header: response.header(IsNotAIPlan.header)) { summary.plan = plan }
            let document = try response.json()
            let page = try pass.http.map(IsNotAIProvider.listEndpoint) { () throws(JSONShapeError) in
                try Page(document.root)
            }

            var listed: [IsNotAIPageWriter.ListedSession] = []
            var rowsBatch = ArchiveBatch()
            let sessions = rowsBatch.mapRows(page.rows.elements, endpoint: IsNotAIProvider.listEndpoint, idKey: "id") {
                row, drift throws(JSONShapeError) in
                try IsNotAISessionMapper.map(row, &drift)
            }
            try await pipeline.submit(rowsBatch)
            for session in sessions {
                let id = session.record.externalID
                listed.append(IsNotAIPageWriter.ListedSession(session))
                if status != nil { summary.seen.insert(id) }
                summary.newestCreatedAt = max(summary.newestCreatedAt ?? session.createdAt, session.createdAt)
            }
            if let failure = try await IsNotAIPageWriter(settings: settings).write(listed, pass, &pipeline) {
                throw failure
            }
            summary.rows += page.rows.count
            summary.pages += 1

            guard page.hasMore else { return summary }
            guard let next = page.nextCursor else {
                throw SyncError.malformedResponse(
                    endpoint: IsNotAIProvider.listEndpoint,
                    detail: "pagination.hasMore is true but pagination.nextCursor is missing or empty"
                )
            }
            guard usedCursors.insert(next).inserted else {
                throw SyncError.providerError(
                    endpoint: IsNotAIProvider.listEndpoint,
                    message:
                        "the listing handed out the same nextCursor twice; stopped paging to avoid a loop (the rows read so far are archived)"
                )
            }
            cursor = next
        }
        await ListingBound.reached(IsNotAIProvider.listEndpoint, pass)
        return summary
    }

    /// `{"data": [...], "pagination": {"nextCursor", "hasMore", "limit"}}` (`limit` echoes the
    /// page size the plan allowed; nothing depends on it).
    struct Page {
        let rows: JSONValue
        let hasMore: Bool
        let nextCursor: String?

        init(_ root: JSONValue) throws(JSONShapeError) {
            rows = try root.requireArray("data")
            let pagination = try root.requireObject("pagination")
            let more = try pagination.require("hasMore")
            guard let hasMore = more.bool else { throw more.mismatch("a boolean") }
            self.hasMore = hasMore
            let cursor = try pagination.optionalString("nextCursor")
            nextCursor = cursor?.isEmpty == false ? cursor : nil
        }
    }
}
