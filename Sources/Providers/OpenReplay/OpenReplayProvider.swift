import Archive
import SessionSyncSupport
import SyncEngine

/// OpenReplay Assist live sessions (`POST …/assist/sessions`, in the `public` or `legacy` style).
///
/// The API lists only the sessions live right now, so each pass is a presence snapshot: it walks
/// every page (upserting as pages arrive, each session once), and a complete, trusted walk ends
/// with a ``PresenceSnapshot`` in the batch of its last page. The archive ends a session once it
/// has been missing from two such listings in a row, with `ended_at` = when it was last seen.
/// Listings OpenReplay gets wrong without an error status are not believed: `data: null` fails
/// the pass, an empty listing right after a non-empty one waits for the next to confirm it, and a
/// walk that fails midway commits no snapshot.
public struct OpenReplayProvider: Provider {
    let settings: OpenReplaySettings
    let search: OpenReplaySearch

    public init(source: SourceConfiguration) {
        guard let settings = source.settings as? OpenReplaySettings else {
            preconditionFailure("an openreplay source carries OpenReplaySettings")
        }
        self.settings = settings
        self.search = OpenReplaySearch(settings: settings)
    }

    public var credentials: [(String, String)] {
        search.credentials
    }

    public func describeError(status: Int, body: [UInt8]) -> String? {
        OpenReplayErrorEnvelope.message(status: status, body: body, style: settings.apiStyle)
    }

    public func probe(_ http: SourceHTTP) async throws -> String {
        var repeats = RepeatedPageGuard()
        guard let page = try await fetchPage(http, page: 1, limit: 1, repeats: &repeats) else {
            return "authenticated, but the assist service did not answer (data: null)"
        }
        return "authenticated; \(page.total.map(String.init) ?? "an unknown number of") live session(s)"
    }

    public func sync(_ pass: SyncPass) async throws {
        let previous = try await previousState(pass)
        var listing = OpenReplayListing(pageSize: settings.pageSize)
        var repeats = RepeatedPageGuard()
        for number in 1...ListingBound.pages {
            try Task.checkCancellation()
            guard let page = try await fetchPage(pass.http, page: number, limit: settings.pageSize, repeats: &repeats)
            else {
                throw SyncError.providerError(
                    endpoint: search.endpoint,
                    message: "the assist service did not answer (data: null); no session was marked ended"
                )
            }
            if page.repeatsPrevious {
                await RepeatedPageGuard.stop(search.endpoint, page: number, pass)
                listing.distrust("page \(number) repeated page \(number - 1)")
                var batch = ArchiveBatch()
                try await finish(listing, previous: previous, batch: &batch, pass: pass)
                try await pass.archive.commit(batch)
                return
            }
            var batch = ArchiveBatch(drift: page.drift)
            let records = batch.mapRows(page.sessions, endpoint: search.endpoint, idKey: "sessionID") {
                row, drift throws(JSONShapeError) in
                try OpenReplaySessionMapper.map(row, &drift)
            }
            for record in records where listing.admit(record.externalID) {
                batch.sessions.append(record)
            }
            if !batch.quarantined.isEmpty {
                // A live session whose id could not be read would look absent, and be ended wrongly.
                listing.distrust(
                    "\(batch.quarantined.count) listed session(s) had no usable sessionID (see the quarantine table)")
            }
            let isLast = listing.notePage(total: page.total, rowCount: page.sessions.count)
            if isLast || number == ListingBound.pages {
                if !isLast {
                    await ListingBound.reached(search.endpoint, pass)
                    listing.distrust(
                        "the listing did not end after \(ListingBound.pages) pages of \(settings.pageSize)")
                }
                try await finish(listing, previous: previous, batch: &batch, pass: pass)
                try await pass.archive.commit(batch)
                return
            }
            try await pass.archive.commit(batch)
        }
    }

    /// Adds to the last page's batch what the finished listing decides: the presence snapshot
    /// and the listing state when it is believed, only the state when it awaits confirmation.
    private func finish(
        _ listing: OpenReplayListing, previous: OpenReplayListingState, batch: inout ArchiveBatch, pass: SyncPass
    ) async throws {
        switch listing.verdict(previousSessions: previous.sessions, awaitingConfirmation: previous.awaitingConfirmation)
        {
        case .trusted:
            batch.presence = PresenceSnapshot(seenExternalIDs: listing.seen)
            let state = OpenReplayListingState(sessions: listing.seen.count, awaitingConfirmation: false)
            batch.cursors.append(CursorUpdate(stream: OpenReplayListingState.stream, value: state.cursorValue))
        case .awaitingConfirmation:
            await pass.warn(
                "the live-session listing came back empty right after a non-empty one; OpenReplay answers "
                    + "this way when its assist service is unreachable, so no session is marked ended until the next listing confirms it"
            )
            let state = OpenReplayListingState(sessions: previous.sessions, awaitingConfirmation: true)
            batch.cursors.append(CursorUpdate(stream: OpenReplayListingState.stream, value: state.cursorValue))
        case .untrusted(let reason):
            await pass.warn("the live-session listing is not believed: \(reason); no session was marked ended")
        }
    }

    /// The state the last complete listing left; without one (a first pass, a reset cursor),
    /// live sessions in the archive count as a non-empty previous listing.
    private func previousState(_ pass: SyncPass) async throws -> OpenReplayListingState {
        if let state = OpenReplayListingState(cursor: try await pass.archive.cursor(OpenReplayListingState.stream)) {
            return state
        }
        let live = try await pass.archive.sessions(status: "live", limit: 1).count
        return OpenReplayListingState(sessions: live, awaitingConfirmation: false)
    }

    private struct Page {
        let total: Int?
        let sessions: [JSONValue]
        var drift: [SchemaDrift] = []
        var repeatsPrevious = false
    }

    /// One page of the search; nil when the service answered `data: null`.
    private func fetchPage(_ http: SourceHTTP, page: Int, limit: Int, repeats: inout RepeatedPageGuard) async throws
        -> Page?
    {
        let document = try await http.sendJSON(search.request(page: page, limit: limit))
        if repeats.repeats(document) { return Page(total: nil, sessions: [], repeatsPrevious: true) }
        return try http.map(search.endpoint) { () throws(JSONShapeError) -> Page? in
            let data = try document.root.require("data")
            if data.isNull { return nil }
            guard data.kind == .object else { throw data.mismatch("an object or null") }
            var drift = SchemaDriftLog(endpoint: search.endpoint)
            let total = data.lenientInt64("total", &drift).map { Int($0) }
            let sessions = try data.require("sessions")
            // Go writes an empty slice as null.
            if sessions.isNull { return Page(total: total, sessions: [], drift: drift.drifts) }
            guard sessions.kind == .array else { throw sessions.mismatch("an array or null") }
            return Page(total: total, sessions: Array(sessions.elements), drift: drift.drifts)
        }
    }
}
