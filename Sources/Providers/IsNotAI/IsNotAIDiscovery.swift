import Archive
import SessionSyncSupport
import SyncEngine

/// Discovery: lists the sessions created since the cursor (minus the lookback), advances the
/// cursor once the whole listing is committed, then revisits the unfinished sessions that the
/// listing no longer covers.
struct IsNotAIDiscovery {
    static let cursorStream = "createdAt"
    /// How far inside the history window a listing restarts when its start fell out of it, so
    /// that the restarted request is not itself a little too old by the time it arrives.
    static let windowMargin: Duration = .seconds(300)

    let settings: IsNotAISettings

    func run(_ pass: SyncPass) async throws {
        let previous = try await pass.archive.timestampCursor(Self.cursorStream)
        let startDate = try await pass.archive.readFrom(stream: Self.cursorStream)
        var summary = try await IsNotAIListingWalk(settings: settings, startDate: startDate).run(pass)
        var restart: Timestamp?
        if summary.rows == 0, let plan = summary.plan, startDate < pass.startedAt.subtracting(plan.historyWindow) {
            // The API answers an empty page, not an error, for a start outside the plan's
            // history window: whatever was created in between is gone upstream. Say so, and
            // continue from inside the window instead of asking the same empty question forever.
            let resumeAt = pass.startedAt.subtracting(plan.historyWindow).adding(Self.windowMargin)
            await pass.warn(
                "GET /v1/sessions answered an empty page for startDate \(startDate.iso8601), which is older than the \(plan.name) plan's \(plan.windowDescription) history window: sessions created between \(startDate.iso8601) and \(resumeAt.iso8601) are no longer served upstream and are missing from the archive (run this source at least once per history window); listing resumed from \(resumeAt.iso8601)"
            )
            summary = try await IsNotAIListingWalk(settings: settings, startDate: resumeAt).run(pass)
            restart = resumeAt
        }
        if let target = summary.newestCreatedAt ?? restart {
            try await pass.archive.commit(
                ArchiveBatch(cursors: [pass.archive.advance(stream: Self.cursorStream, to: target, previous: previous)])
            )
        }
        try await IsNotAIUnfinishedRevisit(settings: settings).run(pass, plan: summary.plan)
    }
}
