import Archive
import SessionSyncSupport
import SyncEngine

/// Reads `/sessions` oldest first from the cursor (`created_at`) minus the lookback, committing
/// each page with the cursor advance to its newest `created_at`: the list grows only at its end,
/// so a committed page covers everything created before its last row.
struct RealtimeKitListing {
    static let cursorStream = "created_at"

    let api: RealtimeKitAPI
    let settings: RealtimeKitSettings

    /// Runs the listing; the sessions it upserts are current and need no revisit in this pass.
    func run(_ pass: SyncPass) async throws {
        let previous = try await pass.archive.timestampCursor(Self.cursorStream)
        let start = try await pass.archive.readFrom(stream: Self.cursorStream)
        let work = RealtimeKitChildWork(settings: settings)
        var repeats = RepeatedPageGuard()
        for page in 1...ListingBound.pages {
            try Task.checkCancellation()
            let document = try await api.sessions(
                pass.http, createdSince: start, page: page, perPage: settings.pageSize)
            if repeats.repeats(document) {
                // Every page before it committed with its cursor: the next pass goes on from there.
                await RepeatedPageGuard.stop(RealtimeKitAPI.sessionsEndpoint, page: page, pass)
                return
            }
            let rows = try pass.http.map(RealtimeKitAPI.sessionsEndpoint) { () throws(JSONShapeError) in
                try document.root.requireObject("data").optionalArray("sessions").map { Array($0.elements) } ?? []
            }
            var batch = ArchiveBatch()
            var drift = SchemaDriftLog(endpoint: RealtimeKitAPI.sessionsEndpoint)
            let paging = RealtimeKitPaging.read(from: document.root, &drift)
            batch.record(drift)
            var newest: Timestamp?
            let sessions = batch.mapRows(rows, endpoint: RealtimeKitAPI.sessionsEndpoint, idKey: "id") {
                row, drift throws(JSONShapeError) in
                try RealtimeKitSessionMapper.map(row, &drift)
            }
            for session in sessions {
                batch.sessions.append(session.record)
                batch.enqueue += work.requests(for: session)
                newest = max(newest ?? session.createdAt, session.createdAt)
            }
            if let newest {
                batch.cursors.append(pass.archive.advance(stream: Self.cursorStream, to: newest, previous: previous))
            }
            try await pass.archive.commit(batch)
            if RealtimeKitPaging.listEnds(rows: rows.count, perPage: settings.pageSize, paging: paging) { return }
        }
        await ListingBound.reached(RealtimeKitAPI.sessionsEndpoint, pass)
    }
}
