import SessionSyncSupport
import Synchronization

/// Cloudflare RealtimeKit's sessions API (`/accounts/{account_id}/realtime/kit/{app_id}/sessions…`)
/// as the seed and apis.md §3 document it: Bearer token checked by a Cloudflare-style gateway,
/// `{success, data, paging}` answers with `paging` at the top level, inside `data` or absent,
/// both details shapes, page-numbered participants, LIVE sessions that end as the clock moves,
/// and chat/transcript download links pointing at a second origin (``RealtimeKitExportHost``)
/// that serves the CSV files only some time after the session ended, for 7 days.
///
/// ```swift
/// let simulator = RealtimeKitSimulator(options: options)
/// let exports = try await simulator.startExportServer()   // the storage host, a second origin
/// let api = try await SimulatorServer(api: simulator)
/// ```
public final class RealtimeKitSimulator: SimulatedAPI {
    /// Where list answers carry `paging`.
    public enum PagingPlacement: Sendable {
        case topLevel, insideData, absent
    }

    /// How `GET /sessions/{id}` wraps the session: `data.session` (older) or `data` itself (newer).
    public enum DetailShape: Sendable {
        case nested, flat
    }

    /// How the chat/transcript endpoints say an export is not there yet.
    public enum NotReadyAnswer: Sendable {
        /// 404 with RealtimeKit's error envelope.
        case notFound
        /// 200 with `success: false`.
        case successFalse
        /// 200 with a null download link.
        case nullLink
    }

    public enum Export: String, Sendable {
        case chat, transcript
    }

    public struct Options: Sendable {
        public var apiToken = "rtk-test-token"
        public var accountID = "0123456789abcdef0123456789abcdef"
        // A UUID, as the dashboard shows RealtimeKit app ids (36 characters, dashes included).
        public var appID = "9f1c2d3e-aaaa-4bbb-8ccc-000000000001"
        public var seed: UInt64 = 3
        /// Sessions at the start, of which the newest-started `liveSessions` are live.
        public var sessions = 60
        public var liveSessions = 3
        /// How far back the first session was created.
        public var history: Duration = .seconds(2 * 86_400)
        public var participantsPerSession: ClosedRange<Int> = 2...8
        public var types = ["meeting", "meeting", "livestream", "meeting", "participant"]
        public var clock = SimulationClock.real()
        public var paging = PagingPlacement.topLevel
        public var detailShape = DetailShape.nested
        /// Exports are served this long after a session ended.
        public var exportDelay: Duration = .seconds(120)
        public var exportRetention: Duration = .seconds(7 * 86_400)
        public var exportLinkLifetime: Duration = .seconds(86_400)
        public var notReadyAnswer = NotReadyAnswer.notFound
        /// The largest `per_page` accepted.
        public var maxPerPage = 100
        /// With a real clock (the demo): a new live session every this long; each ends a few periods later.
        public var activityEvery: Duration? = nil

        public init() {}
    }

    public let options: Options
    let world: RealtimeKitWorld
    /// The storage host the download links point at; serve it with ``startExportServer(port:)``.
    public let exportHost: RealtimeKitExportHost

    public init(options: Options = Options()) {
        self.options = options
        world = RealtimeKitWorld(options: options)
        exportHost = RealtimeKitExportHost(world: world)
    }

    /// Starts the export host on its own port (a second origin) and points the download links at it.
    public func startExportServer(port: Int = 0) async throws -> SimulatorServer {
        let server = try await SimulatorServer(api: exportHost, port: port)
        world.state.withLock { $0.exportBaseURL = server.baseURL }
        return server
    }

    // MARK: Test controls

    /// Session ids, oldest created first.
    public var sessionIDs: [String] {
        world.state.withLock { $0.sessions.map(\.id) }
    }

    /// Ids of the sessions that are live now.
    public var liveSessionIDs: [String] {
        world.state.withLock { state in
            let now = options.clock.now
            return state.sessions.filter { !$0.isEnded(at: now) }.map(\.id)
        }
    }

    /// Starts a live session now that ends by itself after `length` (nil: only ``endSession(_:)`` ends it).
    @discardableResult
    public func startSession(lasting length: Duration? = nil) -> String {
        world.state.withLock { state in
            let now = options.clock.now
            let end = length.map { now.adding($0) } ?? now.adding(.seconds(365 * 86_400))
            let session = RealtimeKitWorld.makeSession(
                createdAt: now, endsAt: end, everyLine: false, options: options, using: &state.random)
            state.sessions.append(session)
            return session.id
        }
    }

    /// Ends a live session now (who is still there leaves now).
    public func endSession(_ id: String) {
        world.state.withLock { state in
            let now = options.clock.now
            guard let index = state.sessions.firstIndex(where: { $0.id == id }), !state.sessions[index].isEnded(at: now)
            else { return }
            state.sessions[index].endsAt = now
        }
    }

    public func setPaging(_ placement: PagingPlacement) {
        world.state.withLock { $0.paging = placement }
    }

    public func setDetailShape(_ shape: DetailShape) {
        world.state.withLock { $0.detailShape = shape }
    }

    /// Exports become available this long after a session ended.
    public func setExportDelay(_ delay: Duration) {
        world.state.withLock { $0.exportDelay = delay }
    }

    public func setNotReadyAnswer(_ answer: NotReadyAnswer) {
        world.state.withLock { $0.notReadyAnswer = answer }
    }

    /// The next `count` API requests answer HTTP 200 with `{"success": false, "error": …}`.
    public func answerSuccessFalse(times count: Int) {
        world.state.withLock { $0.successFalseAnswers = count }
    }

    /// What the API says of session `id` now: status, ended_at, participant count.
    public func status(of id: String) -> (live: Bool, endedAt: Timestamp?)? {
        world.state.withLock { state in
            let now = options.clock.now
            guard let session = state.sessions.first(where: { $0.id == id }) else { return nil }
            let ended = session.isEnded(at: now)
            return (!ended, ended ? session.endsAt : nil)
        }
    }

    /// Participant (peer) ids of session `id` with their minutes, as the participants endpoint reports them now.
    public func participantMinutes(of id: String) -> [String: Double] {
        world.state.withLock { state in
            let now = options.clock.now
            guard let session = state.sessions.first(where: { $0.id == id }) else { return [:] }
            var result: [String: Double] = [:]
            for (participant, leftAt) in session.participants(at: now) {
                result[participant.id] = session.minutes(of: participant, leftAt: leftAt, at: now)
            }
            return result
        }
    }

    /// The chat of session `id` as (message id, display name, payload), in file order.
    public func chat(of id: String) -> [(id: String, sender: String, payload: String)] {
        world.state.withLock { state in
            let now = options.clock.now
            return state.sessions.first { $0.id == id }?.chat(at: now).map {
                ($0.id, $0.participant.displayName, $0.payload)
            } ?? []
        }
    }

    /// The transcript of session `id` as (peer id, speaker, text), in file order.
    public func transcript(of id: String) -> [(participantID: String, speaker: String, text: String)] {
        world.state.withLock { state in
            let now = options.clock.now
            return state.sessions.first { $0.id == id }?.transcript(at: now).map {
                ($0.participant.id, $0.participant.displayName, $0.text)
            } ?? []
        }
    }

    // MARK: API

    public func respond(to request: SimulatedRequest) -> SimulatedResponse {
        var segments = request.segments
        if segments.starts(with: ["client", "v4"]) { segments.removeFirst(2) }
        guard request.header("Authorization") == "Bearer \(options.apiToken)" else {
            return .json(RealtimeKitSimulatorJSON.gatewayError(code: 10000, "Authentication error"), status: 401)
        }
        guard segments.count >= 6, segments[0] == "accounts", segments[2] == "realtime", segments[3] == "kit",
            segments[5] == "sessions"
        else {
            return .json(
                RealtimeKitSimulatorJSON.gatewayError(
                    code: 7003, "Could not route to \(request.path), perhaps your object identifier is invalid?"),
                status: 404)
        }
        guard segments[1] == options.accountID else {
            return .json(
                RealtimeKitSimulatorJSON.gatewayError(code: 9109, "Unauthorized to access requested resource"),
                status: 403)
        }
        guard segments[4] == options.appID else {
            return .json(RealtimeKitSimulatorJSON.error(code: 404, "App not found"), status: 404)
        }
        guard request.method == "GET" else {
            return .json(RealtimeKitSimulatorJSON.error(code: 405, "Method not allowed"), status: 405)
        }
        return world.state.withLock { state in
            world.evolve(&state)
            if state.successFalseAnswers > 0 {
                state.successFalseAnswers -= 1
                return .json(
                    RealtimeKitSimulatorJSON.error(code: 500, "Something went wrong while processing the request"),
                    status: 200)
            }
            let now = options.clock.now
            let rest = Array(segments.dropFirst(6))
            switch rest.count {
            case 0:
                return sessions(request, state: state, now: now)
            case 1:
                return details(of: rest[0], state: state, now: now)
            case 2 where rest[1] == "participants":
                return participants(of: rest[0], request, state: state, now: now)
            case 2 where rest[1] == "chat":
                return exportLink(.chat, of: rest[0], state: &state, now: now)
            case 2 where rest[1] == "transcript":
                return exportLink(.transcript, of: rest[0], state: &state, now: now)
            default:
                return .json(RealtimeKitSimulatorJSON.error(code: 404, "Route not found"), status: 404)
            }
        }
    }

    private func sessions(_ request: SimulatedRequest, state: State, now: Timestamp) -> SimulatedResponse {
        let paging: (page: Int, perPage: Int)
        switch pageParameters(request, defaultPerPage: 20) {
        case .success(let value): paging = value
        case .failure(let error): return error.response
        }
        var rows = state.sessions
        for (name, keep) in [("start_time", true), ("end_time", false)] {
            guard let text = request.query(name) else { continue }
            guard let time = Timestamp(iso8601: text) else {
                return .json(
                    RealtimeKitSimulatorJSON.error(code: 400, "\(name) must be an ISO-8601 date-time"), status: 400)
            }
            rows = rows.filter { keep ? $0.createdAt >= time : $0.createdAt <= time }
        }
        if let status = request.query("status") {
            guard status == "LIVE" || status == "ENDED" else {
                return .json(
                    RealtimeKitSimulatorJSON.error(code: 400, "status must be one of LIVE, ENDED"), status: 400)
            }
            rows = rows.filter { $0.isEnded(at: now) == (status == "ENDED") }
        }
        let sortBy = request.query("sort_by") ?? "createdAt"
        let ascending: Bool
        switch request.query("sort_order") ?? "DESC" {
        case "ASC": ascending = true
        case "DESC": ascending = false
        default:
            return .json(RealtimeKitSimulatorJSON.error(code: 400, "sort_order must be one of ASC, DESC"), status: 400)
        }
        switch sortBy {
        case "createdAt":
            rows.sort {
                ascending
                    ? ($0.createdAt, $0.id) < ($1.createdAt, $1.id) : ($0.createdAt, $0.id) > ($1.createdAt, $1.id)
            }
        case "minutesConsumed":
            rows.sort {
                ascending
                    ? $0.minutesConsumed(at: now) < $1.minutesConsumed(at: now)
                    : $0.minutesConsumed(at: now) > $1.minutesConsumed(at: now)
            }
        default:
            return .json(
                RealtimeKitSimulatorJSON.error(code: 400, "sort_by must be one of minutesConsumed, createdAt"),
                status: 400)
        }
        let (slice, offset) = Self.page(rows, paging)
        let json = slice.map { RealtimeKitSimulatorJSON.session($0, appID: options.appID, at: now) }
        return .json(
            RealtimeKitSimulatorJSON.list("sessions", json, paging: (rows.count, offset), placement: state.paging))
    }

    private func details(of id: String, state: State, now: Timestamp) -> SimulatedResponse {
        guard let session = state.sessions.first(where: { $0.id == id }) else {
            return .json(RealtimeKitSimulatorJSON.error(code: 404, "Session not found"), status: 404)
        }
        let json = RealtimeKitSimulatorJSON.session(session, appID: options.appID, at: now)
        switch state.detailShape {
        case .nested: return .json(RealtimeKitSimulatorJSON.success(.object([("session", json)])))
        case .flat: return .json(RealtimeKitSimulatorJSON.success(json))
        }
    }

    private func participants(of id: String, _ request: SimulatedRequest, state: State, now: Timestamp)
        -> SimulatedResponse
    {
        guard let session = state.sessions.first(where: { $0.id == id }) else {
            return .json(RealtimeKitSimulatorJSON.error(code: 404, "Session not found"), status: 404)
        }
        let paging: (page: Int, perPage: Int)
        switch pageParameters(request, defaultPerPage: 20) {
        case .success(let value): paging = value
        case .failure(let error): return error.response
        }
        var rows = session.participants(at: now)
        let descending = request.query("sort_order") == "DESC"
        switch request.query("sort_by") ?? "joinedAt" {
        case "joinedAt":
            rows.sort {
                descending
                    ? $0.participant.joinedAt > $1.participant.joinedAt
                    : $0.participant.joinedAt < $1.participant.joinedAt
            }
        case "duration":
            rows.sort { a, b in
                let (x, y) = (
                    session.minutes(of: a.participant, leftAt: a.leftAt, at: now),
                    session.minutes(of: b.participant, leftAt: b.leftAt, at: now)
                )
                return descending ? x > y : x < y
            }
        default:
            return .json(
                RealtimeKitSimulatorJSON.error(code: 400, "sort_by must be one of joinedAt, duration"), status: 400)
        }
        let (slice, offset) = Self.page(rows, paging)
        let json = slice.map {
            RealtimeKitSimulatorJSON.participant(
                $0.participant, leftAt: $0.leftAt,
                minutes: session.minutes(of: $0.participant, leftAt: $0.leftAt, at: now), now: now)
        }
        return .json(
            RealtimeKitSimulatorJSON.list("participants", json, paging: (rows.count, offset), placement: state.paging))
    }

    private func exportLink(_ export: Export, of id: String, state: inout State, now: Timestamp) -> SimulatedResponse {
        guard let session = state.sessions.first(where: { $0.id == id }) else {
            return .json(RealtimeKitSimulatorJSON.error(code: 404, "Session not found"), status: 404)
        }
        let name = export == .chat ? "Chat" : "Transcript"
        guard session.isEnded(at: now), now >= session.endsAt.adding(state.exportDelay) else {
            let message = "\(name) for this session is not available yet"
            switch state.notReadyAnswer {
            case .notFound:
                return .json(RealtimeKitSimulatorJSON.error(code: 404, message), status: 404)
            case .successFalse:
                return .json(RealtimeKitSimulatorJSON.error(code: 404, message), status: 200)
            case .nullLink:
                let field = export == .chat ? "chat_download_url" : "transcript_download_url"
                return .json(RealtimeKitSimulatorJSON.success(.object([(field, .null), (field + "_expiry", .null)])))
            }
        }
        guard now < session.endsAt.adding(options.exportRetention) else {
            return .json(RealtimeKitSimulatorJSON.error(code: 404, "\(name) for this session has expired"), status: 404)
        }
        guard let link = world.issueLink(&state, sessionID: id, export: export, now: now) else {
            return .json(
                RealtimeKitSimulatorJSON.error(
                    code: 503, "The export storage is not running (start it with startExportServer())"), status: 503)
        }
        switch export {
        case .chat:
            return .json(
                RealtimeKitSimulatorJSON.success(
                    .object([
                        ("chat_download_url", .string(link.url)),
                        ("chat_download_url_expiry", .string(link.expiresAt.iso8601)),
                    ]))
            )
        case .transcript:
            return .json(
                RealtimeKitSimulatorJSON.success(
                    .object([
                        ("sessionId", .string(id)), ("transcript_download_url", .string(link.url)),
                        ("transcript_download_url_expiry", .string(link.expiresAt.iso8601)),
                    ])
                )
            )
        }
    }

    // MARK: Paging

    typealias State = RealtimeKitWorld.State

    struct BadRequest: Error {
        let response: SimulatedResponse
    }

    private func pageParameters(_ request: SimulatedRequest, defaultPerPage: Int) -> Result<
        (page: Int, perPage: Int), BadRequest
    > {
        let page = request.query("page_no").map { Int($0) ?? -1 } ?? 1
        let perPage = request.query("per_page").map { Int($0) ?? -1 } ?? defaultPerPage
        guard page >= 0 else {
            return .failure(
                BadRequest(
                    response: .json(
                        RealtimeKitSimulatorJSON.error(code: 400, "page_no must be a number, at least 0"), status: 400))
            )
        }
        guard (1...options.maxPerPage).contains(perPage) else {
            return .failure(
                BadRequest(
                    response: .json(
                        RealtimeKitSimulatorJSON.error(
                            code: 400, "per_page must be between 1 and \(options.maxPerPage)"), status: 400))
            )
        }
        return .success((max(1, page), perPage))
    }

    private static func page<T>(_ rows: [T], _ paging: (page: Int, perPage: Int)) -> (slice: [T], offset: Int) {
        let start = min(rows.count, (paging.page - 1) * paging.perPage)
        return (Array(rows[start..<min(rows.count, start + paging.perPage)]), start)
    }
}
