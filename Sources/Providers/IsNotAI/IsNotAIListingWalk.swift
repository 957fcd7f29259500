import Archive
import SessionSyncSupport
import SyncEngine

/// One walk of `GET /v1/sessions` from a `startDate` until `hasMore` is false, committing each
/// page (its rows, and a details request for each finished session) as it arrives.
///
/// A finished session whose details are wanted anew (never fetched, or changed upstream) gets
/// them right away: its listing row and its details are written together, once, with its queue
/// item already done. Any other details request (a retry, one the source failed on) is left to
/// ``IsNotAIDetailFetcher``. Pages commit in chunks, in the background, while the walk goes on.
///
/// The sort order of the listing is undocumented, so the walk never stops early and never
/// assumes which page holds the newest session. The opaque `nextCursor` lives only for the walk.
struct IsNotAIListingWalk {
    /// Sessions per transaction: short enough that other writers wait milliseconds.
    static let sessionsPerCommit = 25

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
        var pipeline = CommitPipeline(pass)
        do {
            let summary = try await walk(pass, &pipeline)
            try await pipeline.drain()
            return summary
        } catch {
            await pipeline.drainIgnoringErrors()
            throw error
        }
    }

    private func walk(_ pass: SyncPass, _ pipeline: inout CommitPipeline) async throws -> Summary {
        var summary = Summary()
        var cursor: String?
        var usedCursors: Set<String> = []
        while true {
            try Task.checkCancellation()
            var query = [("pageSize", "\(settings.pageSize)"), ("startDate", startDate.iso8601)]
            if let status { query.append(("status", status)) }
            if let cursor { query.append(("cursor", cursor)) }
            let response = try await pass.send(APIRequest(path: "/v1/sessions", query: query, endpoint: IsNotAIProvider.listEndpoint))
            if let plan = IsNotAIPlan(header: response.header(IsNotAIPlan.header)) { summary.plan = plan }
            let document = try response.json()
            let page = try pass.map(IsNotAIProvider.listEndpoint) { () throws(JSONShapeError) in try Page(document.root) }

            var listed: [ListedSession] = []
            for row in page.rows.elements {
                var session = try pass.map(IsNotAIProvider.listEndpoint) { () throws(JSONShapeError) in try IsNotAISessionMapper.map(row) }
                let id = session.record.externalID
                // Creation time stands in for the start until the details bring the real one.
                session.record.startedAt = session.createdAt
                session.record.insertOnly.insert(.startedAt)
                let request = session.isOpen ? nil : QueueRequest(kind: IsNotAIProvider.detailsKind, externalID: id, version: session.version)
                listed.append(ListedSession(record: session.record, detailsRequest: request))
                if status != nil { summary.seen.insert(id) }
                summary.newestCreatedAt = max(summary.newestCreatedAt ?? session.createdAt, session.createdAt)
            }
            if let failure = try await archive(listed, pass, &pipeline) {
                throw failure
            }
            summary.rows += page.rows.count
            summary.pages += 1

            guard page.hasMore else { break }
            guard let next = page.nextCursor else {
                throw SyncError.malformedResponse(
                    endpoint: IsNotAIProvider.listEndpoint, detail: "pagination.hasMore is true but pagination.nextCursor is missing or empty"
                )
            }
            guard usedCursors.insert(next).inserted else {
                throw SyncError.providerError(
                    endpoint: IsNotAIProvider.listEndpoint,
                    message: "the listing handed out the same nextCursor twice; stopped paging to avoid a loop (the rows read so far are archived)"
                )
            }
            cursor = next
        }
        return summary
    }

    /// A listing row and, for a finished session, its details request.
    struct ListedSession: Sendable {
        var record: SessionRecord
        let detailsRequest: QueueRequest?
    }

    /// Submits one page's sessions, fetching the details wanted anew first (up to the source's
    /// `maxConcurrentRequests` at once). Returns the failure that ends the pass once the page is
    /// committed: sessions whose details were not fetched keep their pending request.
    private func archive(_ listed: [ListedSession], _ pass: SyncPass, _ pipeline: inout CommitPipeline) async throws -> (any Error)? {
        let requested = listed.compactMap { $0.detailsRequest?.externalID }
        let states = try await pass.queueStates(kind: IsNotAIProvider.detailsKind, externalIDs: requested)
        var chunk = ArchiveBatch()
        var waiting: [Int] = []
        for (index, session) in listed.enumerated() {
            if let request = session.detailsRequest, QueueState.requestMakesPending(states[request.externalID], version: request.version) {
                waiting.append(index)
            } else {
                try await add(session, nil, to: &chunk, pipeline: &pipeline)
            }
        }
        let fetch = IsNotAIDetailFetch(settings: settings)
        let width = max(1, pass.source.maxConcurrentRequests)
        var failure: (any Error)?
        var unstarted = waiting.makeIterator()
        try await withThrowingTaskGroup(of: (Int, IsNotAIDetailFetch.Result).self) { group in
            func start(_ index: Int) {
                let request = listed[index].detailsRequest
                group.addTask { (index, await fetch.fetch(externalID: request?.externalID ?? "", version: request?.version, pass)) }
            }
            for _ in 0..<width {
                guard let index = unstarted.next() else { break }
                start(index)
            }
            while let (index, result) = try await group.next() {
                var session = listed[index]
                if let details = result.record { session.record.overlay(details) }
                try await add(session, result.completion, to: &chunk, pipeline: &pipeline)
                failure = failure ?? result.failure
                if failure == nil, !Task.isCancelled, let next = unstarted.next() {
                    start(next)
                }
            }
        }
        // Not started (the source failed, or the pass was cancelled): listed, details still requested.
        while let index = unstarted.next() {
            try await add(listed[index], nil, to: &chunk, pipeline: &pipeline)
        }
        try await pipeline.submit(chunk)
        return failure
    }

    private func add(_ session: ListedSession, _ completion: QueueCompletion?, to chunk: inout ArchiveBatch, pipeline: inout CommitPipeline) async throws {
        chunk.sessions.append(session.record)
        if let request = session.detailsRequest, completion?.outcome == .done(version: request.version) {
            chunk.fulfilled.append(request)
        } else {
            if let request = session.detailsRequest { chunk.enqueue.append(request) }
            if let completion { chunk.completions.append(completion) }
        }
        if chunk.sessions.count >= Self.sessionsPerCommit {
            try await pipeline.submit(chunk)
            chunk = ArchiveBatch()
        }
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
