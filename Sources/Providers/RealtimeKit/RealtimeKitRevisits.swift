import Archive
import SessionSyncSupport
import SyncEngine

/// Re-reads every archived session that is still live (and that this pass's listing did not
/// bring) with `GET /sessions/{id}`, until the API says `ENDED`.
struct RealtimeKitRevisits {
    let api: RealtimeKitAPI
    let settings: RealtimeKitSettings

    func run(_ pass: SyncPass) async throws {
        var tally = ItemTally()
        for archived in try await pass.archivedSessions(status: "live", notListedInThisPass: true) {
            try Task.checkCancellation()
            do {
                try await revisit(archived.externalID, pass)
                tally.succeeded += 1
            } catch where !ItemRetryPolicy.isSourceWide(error) {
                // One session's failure costs that session only; it is revisited on the next pass.
                tally.failed(error)
            }
        }
        await tally.conclude("live session revisit(s) failed and are tried again next pass", pass)
    }

    private func revisit(_ id: String, _ pass: SyncPass) async throws {
        let work = RealtimeKitChildWork(settings: settings)
        let document: JSONDocument
        do {
            document = try await api.session(pass, id: id)
        } catch let error as SyncError where error.httpStatus == 404 {
            await pass.warn("live session \(id) is no longer found upstream (\(error)); it stays live in the archive")
            return
        }
        var batch = ArchiveBatch()
        let session = try pass.map(RealtimeKitAPI.sessionEndpoint) { () throws(JSONShapeError) in
            let data = try document.root.requireObject("data")
            return try batch.mapRecord(endpoint: RealtimeKitAPI.sessionEndpoint) { drift throws(JSONShapeError) in
                // Older revisions wrap the session in `data.session`, newer ones return it as `data`.
                var session = try RealtimeKitSessionMapper.map(try data.optionalObject("session") ?? data, &drift)
                session.record.detailRaw = data.rawText
                return session
            }
        }
        batch.sessions.append(session.record)
        batch.enqueue += work.requests(for: session)
        try await pass.commit(batch)
    }
}
