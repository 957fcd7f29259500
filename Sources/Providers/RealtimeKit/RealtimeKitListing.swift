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
        let previous = try await pass.timestampCursor(Self.cursorStream)
        let start = try await pass.readFrom(stream: Self.cursorStream)
        let work = RealtimeKitChildWork(settings: settings)
        var page = 1
        while true {
            try Task.checkCancellation()
            let document = try await api.sessions(pass, createdSince: start, page: page, perPage: settings.pageSize)
            let (rows, paging) = try pass.map(RealtimeKitAPI.sessionsEndpoint) { () throws(JSONShapeError) in
                let data = try document.root.requireObject("data")
                let sessions = try data.optionalArray("sessions").map { Array($0.elements) } ?? []
                return (sessions, try RealtimeKitPaging.read(from: document.root))
            }
            var batch = ArchiveBatch()
            var newest: Timestamp?
            for row in rows {
                let session = try pass.map(RealtimeKitAPI.sessionsEndpoint) { () throws(JSONShapeError) in try RealtimeKitSessionMapper.map(row) }
                batch.sessions.append(session.record)
                batch.enqueue += work.requests(for: session)
                newest = max(newest ?? session.createdAt, session.createdAt)
            }
            if let newest {
                batch.cursors.append(pass.advance(stream: Self.cursorStream, to: newest, previous: previous))
            }
            try await pass.commit(batch)
            if RealtimeKitPaging.listEnds(rows: rows.count, perPage: settings.pageSize, paging: paging) { break }
            page += 1
        }
    }
}
