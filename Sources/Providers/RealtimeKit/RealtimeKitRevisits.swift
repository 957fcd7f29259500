import Archive
import SessionSyncSupport
import SyncEngine

/// Re-reads every archived session that is still live (and that this pass's listing did not
/// bring) with `GET /sessions/{id}`, until the API says `ENDED`.
///
/// Revisits go through the engine's ``SyncPass/repeatWork(kind:for:_:)``: one that fails is
/// retried with backoff and given up at the limit, and costs no other session anything.
struct RealtimeKitRevisits {
    static let kind = "revisit"

    let api: RealtimeKitAPI
    let settings: RealtimeKitSettings

    func run(_ pass: SyncPass) async throws {
        let stale = try await pass.archive.sessions(status: "live", notListedInThisPass: true)
        try await pass.repeatWork(kind: Self.kind, for: stale) { [self] item in
            try await revisit(item, pass)
        }
    }

    private func revisit(_ item: QueueItem, _ pass: SyncPass) async throws -> ArchiveBatch {
        let document: JSONDocument
        do {
            document = try await api.session(pass.http, id: item.externalID)
        } catch let error as SyncError where error.httpStatus == 404 {
            let reason =
                "live session \(item.externalID) is no longer found upstream (\(error)); it stays live in the archive"
            await pass.warn(reason)
            return ArchiveBatch(completions: [
                QueueCompletion(kind: item.kind, externalID: item.externalID, outcome: .giveUp(error: reason))
            ])
        }
        var batch = ArchiveBatch()
        let session = try pass.http.map(RealtimeKitAPI.sessionEndpoint) { () throws(JSONShapeError) in
            let data = try document.root.requireObject("data")
            return try batch.mapRecord(endpoint: RealtimeKitAPI.sessionEndpoint) { drift throws(JSONShapeError) in
                // Older revisions wrap the session in `data.session`, newer ones return it as `data`.
                var session = try RealtimeKitSessionMapper.map(try data.optionalObject("session") ?? data, &drift)
                session.record.detailRaw = data.rawText
                return session
            }
        }
        batch.sessions.append(session.record)
        batch.enqueue += RealtimeKitChildWork(settings: settings).requests(for: session)
        return batch
    }
}
