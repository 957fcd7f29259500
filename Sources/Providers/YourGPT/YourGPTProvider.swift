import Archive
import SessionSyncSupport
import SyncEngine

/// YourGPT chatbot sessions (`POST /chatbot/v1/getSessions`) and, optionally, their messages
/// (`POST /chatbot/v1/getSessionMessages`).
///
/// The listing is ordered by last message time, which moves whenever a conversation gets a
/// message, so offset pages drift while they are read. A pass reads newest first from the day
/// before its cursor, stops once rows fall behind the cursor minus the lookback, then re-reads
/// the first page until it brings nothing new: a session that jumped to the front mid-pass is
/// caught in the same pass, and upserts make every repeat harmless. The cursor moves only after
/// a complete listing (newest-first pages cannot vouch for older rows before the end).
public struct YourGPTProvider: Provider {
    static let cursorStream = "last_message_time"
    static let messagesKind = "messages"
    static let sessionsEndpoint = "POST /chatbot/v1/getSessions"
    static let messagesEndpoint = "POST /chatbot/v1/getSessionMessages"

    let settings: YourGPTSettings

    public init(source: SourceConfiguration) {
        guard let settings = source.settings as? YourGPTSettings else {
            preconditionFailure("a yourgpt source carries YourGPTSettings")
        }
        self.settings = settings
    }

    public var credentials: [(String, String)] {
        [("api-key", settings.apiKey.reveal())]
    }

    public func describeError(status: Int, body: [UInt8]) -> String? {
        YourGPTEnvelope.errorMessage(body)
    }

    public func probe(_ http: SourceHTTP) async throws -> String {
        let now = Timestamp.now()
        let document = try await fetchSessionsPage(
            http, from: now.subtracting(.seconds(86_400)), to: now, page: 1, limit: 1)
        let count = document.root["data"]?.count ?? 0
        return "authenticated; \(count) session(s) on the first page of the last day"
    }

    /// The listing, then the messages: a listing that fails still leaves the messages already
    /// asked for to be fetched (see ``PassStages``).
    public func sync(_ pass: SyncPass) async throws {
        var stages = PassStages()
        await stages.run { try await list(pass) }
        if settings.messages {
            await stages.run { try await fetchMessages(pass) }
        }
        try stages.finish()
    }

    private func list(_ pass: SyncPass) async throws {
        let previous = try await pass.archive.timestampCursor(Self.cursorStream)
        // The API filters by day: start the day before the cursor's day, so nothing near midnight is missed.
        let start = try await pass.archive.readFrom(stream: Self.cursorStream)
        let from = (previous ?? start).startOfDay.subtracting(.seconds(86_400))
        let stopBefore = previous?.subtracting(pass.source.lookback)
        var listing = YourGPTListing(stopBefore: stopBefore)

        var complete = false
        for page in 1...ListingBound.pages where !complete && !listing.stoppedOnRepeat {
            complete = try await !readPage(pass, from: from, page: page, listing: &listing) && !listing.stoppedOnRepeat
        }
        // Sessions that got a message while we paged have jumped to the front: read from the top
        // again until a page brings nothing new.
        listing.pages = RepeatedPageGuard()
        var rechecked = complete
        for page in 1...ListingBound.pages where complete && rechecked {
            rechecked = try await readPage(pass, from: from, page: page, listing: &listing, recheck: true)
        }
        guard complete else {
            // The cursor vouches for a complete listing only.
            if !listing.stoppedOnRepeat { await ListingBound.reached(Self.sessionsEndpoint, pass) }
            return
        }
        if let newest = listing.newest {
            try await pass.archive.commit(
                ArchiveBatch(cursors: [pass.archive.advance(stream: Self.cursorStream, to: newest, previous: previous)])
            )
        }
    }

    /// Reads one page and commits it; returns whether the next page should be read.
    /// When re-reading from the top (`recheck`), it commits and continues only while the page
    /// holds sessions that moved there during the pass (all of them, for the next page to matter).
    private func readPage(
        _ pass: SyncPass, from: Timestamp, page: Int, listing: inout YourGPTListing, recheck: Bool = false
    ) async throws -> Bool {
        let document = try await fetchSessionsPage(
            pass.http, from: from, to: pass.startedAt, page: page, limit: settings.pageSize)
        if listing.pages.repeats(document) {
            listing.stoppedOnRepeat = true
            await RepeatedPageGuard.stop(Self.sessionsEndpoint, page: page, pass)
            return false
        }
        let rows = try pass.http.map(Self.sessionsEndpoint) { () throws(JSONShapeError) in
            try document.root.requireArray("data")
        }
        var batch = ArchiveBatch()
        var moved = 0
        var oldest: Timestamp?
        let sessions = batch.mapRows(rows.elements, endpoint: Self.sessionsEndpoint, idKey: "session_uid") {
            row, drift throws(JSONShapeError) in
            try YourGPTSessionMapper.map(row, &drift)
        }
        for session in sessions {
            if recheck {
                if listing.movedToFront(session) { moved += 1 }
            } else {
                listing.record(session, firstPage: page == 1)
            }
            batch.sessions.append(session.record)
            batch.enqueue += messagesRequests(for: session)
            if let time = session.lastMessageTime { oldest = min(oldest ?? time, time) }
        }
        if recheck && moved == 0 {
            // Nothing moved, but what the page taught about drift and bad rows is kept.
            try await pass.archive.commit(ArchiveBatch(drift: batch.drift, quarantined: batch.quarantined))
            return false
        }
        try await pass.archive.commit(batch)
        let count = rows.count
        if count < settings.pageSize { return false }
        if recheck { return moved == sessions.count }
        if let stop = listing.stopBefore, let oldest, oldest < stop { return false }
        return true
    }

    /// The messages a listed session asks for: those since the last one archived.
    func messagesRequests(for session: YourGPTSessionMapper.Mapped) -> [QueueRequest] {
        guard settings.messages, let lastMessageID = session.lastMessageID else { return [] }
        return [QueueRequest(kind: Self.messagesKind, externalID: session.record.externalID, version: lastMessageID)]
    }

    /// One page of sessions whose last message falls between the days of `from` and `to` (the
    /// API's `to` is a day, inclusive: a day past `to` covers every message up to it).
    private func fetchSessionsPage(_ http: SourceHTTP, from: Timestamp, to: Timestamp, page: Int, limit: Int)
        async throws -> JSONDocument
    {
        var body: [(String, JSONOutput)] = [
            ("from", .string(from.day)),
            ("to", .string(to.adding(.seconds(86_400)).day)),
            ("orderBy", .string("DESC")),
            ("limit", .int(Int64(limit))),
            ("page", .int(Int64(page))),
        ]
        if !settings.filters.isEmpty {
            body.append(("filter", .array(settings.filters.map(\.json))))
        }
        if let viewID = settings.viewID {
            body.append(("view_id", .int(Int64(viewID))))
        }
        let response = try await http.send(
            .postJSON("/chatbot/v1/getSessions", body: JSONOutput.object(body).bytes, endpoint: Self.sessionsEndpoint))
        return try YourGPTEnvelope.checked(response)
    }

    /// Fetches the messages of every session whose last message changed, newest first, stopping
    /// at the first message already archived.
    private func fetchMessages(_ pass: SyncPass) async throws {
        try await pass.workQueue(kind: Self.messagesKind) { item in
            let known = item.doneVersion.flatMap(Int64.init)
            var messages: [MessageRecord] = []
            var batch = ArchiveBatch()
            var complete = false
            var repeats = RepeatedPageGuard()
            pages: for page in 1...ListingBound.pages {
                let body = JSONOutput.object([
                    ("session_uid", .string(item.externalID)),
                    ("orderBy", .string("DESC")),
                    ("limit", .int(100)),
                    ("page", .int(Int64(page))),
                ])
                let response = try await pass.http.send(
                    .postJSON("/chatbot/v1/getSessionMessages", body: body.bytes, endpoint: Self.messagesEndpoint))
                let document = try YourGPTEnvelope.checked(response)
                if repeats.repeats(document) {
                    throw SyncError.malformedResponse(
                        endpoint: Self.messagesEndpoint,
                        detail:
                            "session \(item.externalID): page \(page) repeats page \(page - 1) verbatim; the server seems to ignore page"
                    )
                }
                let rows = try pass.http.map(Self.messagesEndpoint) { () throws(JSONShapeError) in
                    try document.root.requireArray("data")
                }
                let mapped = batch.mapRows(rows.elements, endpoint: Self.messagesEndpoint, idKey: "id") {
                    row, drift throws(JSONShapeError) in
                    try YourGPTMessageMapper.map(row, &drift)
                }
                complete = true
                for message in mapped {
                    if let known, let id = Int64(message.externalID), id <= known { break pages }
                    messages.append(message)
                }
                if rows.count < 100 { break }
                complete = false
            }
            guard complete else {
                throw SyncError.malformedResponse(
                    endpoint: Self.messagesEndpoint,
                    detail:
                        "session \(item.externalID) still had more pages after \(ListingBound.pages): the server seems to ignore page"
                )
            }
            batch.sessionChildren.append(
                SessionChildren(externalID: item.externalID, children: [.appendMessages(messages.reversed())]))
            batch.completions.append(ItemRetryPolicy().finished(item, quarantined: batch.quarantined.count))
            return batch
        }
    }
}

extension YourGPTSettings.Filter {
    var json: JSONOutput {
        let value: JSONOutput =
            switch self.value {
            case .single(let text): .string(text)
            case .list(let texts): .array(texts.map(JSONOutput.string))
            }
        return .object([
            ("model", .string("SESSION")), ("key", .string(key)), ("operator", .string(`operator`)), ("value", value),
        ])
    }
}
