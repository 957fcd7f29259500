import Archive
import SessionSyncSupport
import SyncEngine

/// Sessions archived as `active` that the listing no longer covers (created before its
/// `startDate`) would never be seen to finish: one `status=active` listing from the oldest of
/// them tells which are still running, and each of the others is read by id, which brings its
/// final state (and so its details request).
///
/// Sessions older than the plan's history window are left alone: the API no longer serves them.
struct IsNotAIUnfinishedRevisit {
    let settings: IsNotAISettings

    func run(_ pass: SyncPass, plan: IsNotAIPlan?) async throws {
        let horizon = pass.startedAt.subtracting((plan ?? .free).historyWindow).adding(IsNotAIDiscovery.windowMargin)
        var candidates: [String: Timestamp] = [:]
        for session in try await pass.archivedSessions(status: IsNotAISessionMapper.openStatus, notListedInThisPass: true) {
            let started = session.startedAt.flatMap(Timestamp.init(iso8601:)) ?? horizon
            if started >= horizon { candidates[session.externalID] = started }
        }
        guard let oldest = candidates.values.min() else { return }

        let startDate = max(horizon, oldest.subtracting(.seconds(60)))
        let active = try await IsNotAIListingWalk(settings: settings, startDate: startDate, status: IsNotAISessionMapper.openStatus).run(pass)
        let changed = candidates.keys.filter { !active.seen.contains($0) }.sorted()
        var tally = ItemTally()
        for id in changed {
            try Task.checkCancellation()
            do {
                try await revisit(id, pass)
                tally.succeeded += 1
            } catch where !ItemRetryPolicy.isSourceWide(error) {
                // One session's failure costs that session only; it is revisited on the next pass.
                tally.failed(error)
            }
        }
        await tally.conclude("unfinished session revisit(s) failed and are tried again next pass", pass)
    }

    private func revisit(_ id: String, _ pass: SyncPass) async throws {
        let response: APIResponse
        do {
            response = try await pass.send(
                APIRequest(path: "/v1/sessions/\(APIRequest.pathSegment(id))", endpoint: IsNotAIProvider.sessionEndpoint)
            )
        } catch let error as SyncError where error.httpStatus == 404 {
            // Gone upstream: nothing to learn; it drops out of the revisits with the history window.
            return
        }
        let document = try response.json()
        var batch = ArchiveBatch()
        let session = try pass.map(IsNotAIProvider.sessionEndpoint) { () throws(JSONShapeError) in
            let data = try document.root.requireObject("data")
            return try batch.mapRecord(endpoint: IsNotAIProvider.sessionEndpoint) { drift throws(JSONShapeError) in
                try IsNotAISessionMapper.map(data, &drift)
            }
        }
        batch.sessions.append(session.record)
        if !session.isOpen {
            batch.enqueue.append(QueueRequest(kind: IsNotAIProvider.detailsKind, externalID: id, version: session.version))
        }
        try await pass.commit(batch)
    }
}
