import Archive
import SessionSyncSupport
import SyncEngine

/// Sessions archived as `active` that the listing no longer covers (created before its
/// `startDate`) would never be seen to finish: one `status=active` listing from the oldest of
/// them tells which are still running, and each of the others is read by id, which brings its
/// final state (and so its details request).
///
/// Reads go through the engine's ``SyncPass/repeatWork(kind:for:_:)``: one that fails is
/// retried with backoff and given up at the limit.
///
/// Sessions older than the plan's history window are left alone: the API no longer serves them.
struct IsNotAIUnfinishedRevisit {
    static let kind = "revisit"

    let settings: IsNotAISettings

    func run(_ pass: SyncPass, plan: IsNotAIPlan?) async throws {
        let horizon = pass.startedAt.subtracting((plan ?? .free).historyWindow).adding(IsNotAIDiscovery.windowMargin)
        var candidates: [String: ArchivedSession] = [:]
        var oldest: Timestamp?
        for session in try await pass.archive.sessions(
            status: IsNotAISessionMapper.openStatus, notListedInThisPass: true)
        {
            let started = session.startedAt.flatMap(Timestamp.init(iso8601:)) ?? horizon
            guard started >= horizon else { continue }
            candidates[session.externalID] = session
            oldest = min(oldest ?? started, started)
        }
        var changed: [ArchivedSession] = []
        if let oldest {
            let startDate = max(horizon, oldest.subtracting(.seconds(60)))
            let walk = IsNotAIListingWalk(
                settings: settings, startDate: startDate, status: IsNotAISessionMapper.openStatus)
            let active = try await walk.run(pass)
            changed = candidates.values.filter { !active.seen.contains($0.externalID) }.sorted {
                $0.externalID < $1.externalID
            }
        }
        // Also runs the revisits that failed on earlier passes and are due.
        try await pass.repeatWork(kind: Self.kind, for: changed) { item in
            try await revisit(item, pass)
        }
    }

    private func revisit(_ item: QueueItem, _ pass: SyncPass) async throws -> ArchiveBatch {
        let response: APIResponse
        do {
            response = try await pass.http.send(
                APIRequest(
                    path: "/v1/sessions/\(APIRequest.pathSegment(item.externalID))",
                    endpoint: IsNotAIProvider.sessionEndpoint)
            )
        } catch let error as SyncError where error.httpStatus == 404 {
            // Gone upstream: nothing to learn, and nothing to ask again.
            let reason =
                "session \(item.externalID) is no longer found upstream (\(error)); it stays active in the archive"
            return ArchiveBatch(completions: [
                QueueCompletion(kind: item.kind, externalID: item.externalID, outcome: .giveUp(error: reason))
            ])
        }
        let document = try response.json()
        var batch = ArchiveBatch()
        let session = try pass.http.map(IsNotAIProvider.sessionEndpoint) { () throws(JSONShapeError) in
            let data = try document.root.requireObject("data")
            return try batch.mapRecord(endpoint: IsNotAIProvider.sessionEndpoint) { drift throws(JSONShapeError) in
                try IsNotAISessionMapper.map(data, &drift)
            }
        }
        batch.sessions.append(session.record)
        if !session.isOpen {
            batch.enqueue.append(
                QueueRequest(kind: IsNotAIProvider.detailsKind, externalID: item.externalID, version: session.version))
        }
        return batch
    }
}
