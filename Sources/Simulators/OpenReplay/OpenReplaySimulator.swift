import SessionSyncSupport
import Synchronization

/// OpenReplay Assist's live-session search, in both API generations, as apis.md section 1
/// records the real server: `…/public/{projectKey}/assist/sessions` with `Authorization: Bearer
/// KEY` (401 with an empty body for anything else, an unknown project included) and the legacy
/// `…/api/v1/{projectKey}/assist/sessions` with the raw key and FastAPI error bodies; `GET` (10
/// rows at most) and `POST` with order, page, limit and filters; `total` and offset paging over
/// a set of sessions that start, change and end over time; and the proxy's silent failures
/// (`{"data": null}` and an empty list, both with HTTP 200).
public final class OpenReplaySimulator: SimulatedAPI {
    public struct Options: Sendable {
        public var apiKey = "or-test-key"
        public var projectKey = "aYYaFHiagqdXKEmVlmvJ"
        public var projectID = 3
        public var seed: UInt64 = 7
        /// Sessions live at the start, begun within the half hour before the clock's time.
        public var sessions = 40
        public var clock = SimulationClock.real()
        /// With a real clock: every this long a session starts, ends or changes.
        public var activityEvery: Duration? = nil

        public init() {}
    }

    enum Style {
        case `public`, legacy
    }

    struct State {
        var sessions: [OpenReplayLiveSession] = []
        var factory: OpenReplaySessionFactory
        var ticks: ActivityTicks
        var nullAnswers = 0
        var emptyAnswers = 0
        /// Page number → sessions that start just before that page is answered.
        var startsBeforePage: [Int: Int] = [:]
    }

    public let options: Options
    private let state: Mutex<State>

    public init(options: Options = Options()) {
        self.options = options
        let now = options.clock.now
        var state = State(
            factory: OpenReplaySessionFactory(seed: options.seed),
            ticks: ActivityTicks(period: options.activityEvery, start: now))
        for _ in 0..<options.sessions {
            let age = Int64(state.factory.random.next() % 1_800_000)
            state.sessions.append(state.factory.make(startedAt: now.adding(milliseconds: -age)))
        }
        self.state = Mutex(state)
    }

    // MARK: Test controls

    /// Starts a session now (the clock's time); `configure` may set its fields. Returns its id.
    @discardableResult
    public func startSession(_ configure: (inout OpenReplayLiveSession) -> Void = { _ in }) -> String {
        state.withLock { state in
            var session = state.factory.make(startedAt: options.clock.now)
            configure(&session)
            state.sessions.append(session)
            return session.sessionID
        }
    }

    /// The tab closed: the session is no longer listed. Returns it, for ``resumeSession(_:)``.
    @discardableResult
    public func endSession(_ sessionID: String) -> OpenReplayLiveSession? {
        state.withLock { state in
            guard let index = state.sessions.firstIndex(where: { $0.sessionID == sessionID }) else { return nil }
            return state.sessions.remove(at: index)
        }
    }

    /// The tracker reconnected: the same session (same id) is listed again.
    public func resumeSession(_ session: OpenReplayLiveSession) {
        state.withLock { state in
            state.sessions.removeAll { $0.sessionID == session.sessionID }
            state.sessions.append(session)
        }
    }

    public func endAllSessions() {
        state.withLock { $0.sessions.removeAll() }
    }

    /// Changes a live session (the tracker pushed an update: user id, metadata, page title, activity).
    public func updateSession(_ sessionID: String, _ change: (inout OpenReplayLiveSession) -> Void) {
        state.withLock { state in
            guard let index = state.sessions.firstIndex(where: { $0.sessionID == sessionID }) else { return }
            change(&state.sessions[index])
        }
    }

    /// `count` sessions start just before page `page` of a search is answered (rows shift while a client pages).
    public func startSessions(_ count: Int, beforePage page: Int) {
        state.withLock { $0.startsBeforePage[page, default: 0] += count }
    }

    /// The next `count` searches answer `{"data": null}` (the assist service answered non-200 to the proxy).
    public func answerDataNull(times count: Int) {
        state.withLock { $0.nullAnswers = count }
    }

    /// The next `count` searches answer `{"data": {"total": 0, "sessions": []}}` (the assist service was unreachable).
    public func answerEmpty(times count: Int) {
        state.withLock { $0.emptyAnswers = count }
    }

    /// The live sessions, newest first (the order the API lists them in).
    public var liveSessions: [OpenReplayLiveSession] {
        state.withLock { Self.ordered($0.sessions, descending: true) }
    }

    // MARK: API

    public func respond(to request: SimulatedRequest) -> SimulatedResponse {
        let segments = request.segments
        // Any prefix before the API's own path (`/v2/api`, `/api` on self-hosted instances) is accepted.
        guard segments.count >= 4, Array(segments.suffix(2)) == ["assist", "sessions"] else {
            return .text("404 page not found", status: 404)
        }
        let projectKey = segments[segments.count - 3]
        let style: Style
        if segments[segments.count - 4] == "public" {
            style = .public
        } else if segments.count >= 5, Array(segments[(segments.count - 5)..<(segments.count - 3)]) == ["api", "v1"] {
            style = .legacy
        } else {
            return .text("404 page not found", status: 404)
        }
        if let refusal = authenticate(request, style: style, projectKey: projectKey) {
            return refusal
        }
        guard request.method == "GET" || request.method == "POST" else {
            return style == .public
                ? .text("Method Not Allowed", status: 405) : .json(Self.detail("Method Not Allowed"), status: 405)
        }
        return state.withLock { state in
            evolve(&state)
            if state.nullAnswers > 0 {
                state.nullAnswers -= 1
                return .json(.object([("data", .null)]))
            }
            if state.emptyAnswers > 0 {
                state.emptyAnswers -= 1
                return .json(.object([("data", .object([("total", .int(0)), ("sessions", .array([]))]))]))
            }
            switch style {
            case .public: return publicSearch(request, state: &state)
            case .legacy: return legacySearch(request, state: &state)
            }
        }
    }

    /// v2: 401 with an empty body for a missing header, a scheme other than exactly `Bearer `, a
    /// wrong key or an unknown project. Legacy: the raw key, else FastAPI's 401 detail.
    private func authenticate(_ request: SimulatedRequest, style: Style, projectKey: String) -> SimulatedResponse? {
        let header = request.header("Authorization")
        switch style {
        case .public:
            guard let header, header.hasPrefix("Bearer "), header.dropFirst("Bearer ".count) == options.apiKey,
                projectKey == options.projectKey
            else {
                return .empty(status: 401)
            }
        case .legacy:
            guard header == options.apiKey, projectKey == options.projectKey else {
                return .json(Self.detail("Invalid API Key"), status: 401)
            }
        }
        return nil
    }

    private func publicSearch(_ request: SimulatedRequest, state: inout State) -> SimulatedResponse {
        var page = 1
        var limit = 10
        var descending = true
        var filters: [OpenReplaySearchFilter] = []
        if request.method == "GET" {
            // GET takes only `userId`, matched exactly; paging is fixed at the first 10.
            if let userID = request.query("userId") {
                filters.append(
                    OpenReplaySearchFilter(label: "userId", values: [userID], exact: true, attribute: { $0.userID }))
            }
        } else {
            guard let body = request.json?.root, body.kind == .object else {
                return .json(Self.error("invalid JSON body"), status: 400)
            }
            page = body["page"]?.int ?? 0
            limit = body["limit"]?.int ?? 0
            if page == 0 { page = 1 }
            if limit == 0 { limit = 10 }
            if page < 1 || limit < 1 {
                page = 1
                limit = 10
            }
            if let order = body["order"]?.string, !order.isEmpty {
                descending = order.lowercased() == "desc"
            }
            do {
                filters = try OpenReplaySearchFilter.parsePublic(body["filters"])
            } catch {
                return .json(Self.error("failed to search assist sessions"), status: 500)
            }
        }
        startPending(before: page, state: &state)
        let matching = Self.ordered(
            state.sessions.filter { session in filters.allSatisfy { $0.matches(session) } }, descending: descending)
        let counter: [(String, JSONOutput)] = filters.map { filter in
            (
                filter.label,
                .object(
                    filter.values.map { value in
                        let single = OpenReplaySearchFilter(
                            label: filter.label, values: [value], exact: filter.exact, attribute: filter.attribute)
                        return (value, .int(Int64(matching.filter(single.matches).count)))
                    })
            )
        }
        let rows = Self.slice(matching, page: page, limit: limit).map {
            $0.publicJSON(projectKey: options.projectKey, projectID: options.projectID)
        }
        return .json(
            .object([
                (
                    "data",
                    .object([
                        ("total", .int(Int64(matching.count))), ("counter", .object(counter)),
                        ("sessions", .array(rows)),
                    ])
                )
            ]))
    }

    private func legacySearch(_ request: SimulatedRequest, state: inout State) -> SimulatedResponse {
        var page = 1
        var limit = 200
        var descending = true
        var filters: [OpenReplaySearchFilter] = []
        if request.method == "POST" {
            guard let body = request.json?.root, body.kind == .object else {
                return .json(
                    Self.validation(
                        loc: [.string("body")], message: "value is not a valid dict", type: "type_error.dict"),
                    status: 422)
            }
            limit = body["limit"]?.int ?? 200
            page = body["page"]?.int ?? 1
            if limit > 200 {
                return .json(
                    Self.validation(
                        loc: [.string("body"), .string("limit")],
                        message: "ensure this value is less than or equal to 200", type: "value_error.number.not_le"),
                    status: 422)
            }
            if limit < 1 {
                return .json(
                    Self.validation(
                        loc: [.string("body"), .string("limit")], message: "ensure this value is greater than 0",
                        type: "value_error.number.not_gt"), status: 422)
            }
            if page < 1 {
                return .json(
                    Self.validation(
                        loc: [.string("body"), .string("page")], message: "ensure this value is greater than 0",
                        type: "value_error.number.not_gt"), status: 422)
            }
            if let order = body["order"]?.string {
                guard ["DESC", "ASC"].contains(order.uppercased()) else {
                    return .json(
                        Self.validation(
                            loc: [.string("body"), .string("order")],
                            message: "value is not a valid enumeration member; permitted: 'ASC', 'DESC'",
                            type: "type_error.enum"), status: 422)
                }
                descending = order.uppercased() == "DESC"
            }
            do {
                filters = try OpenReplaySearchFilter.parseLegacy(body["filters"])
            } catch .invalid(let loc, let message, let type) {
                return .json(Self.validation(loc: loc, message: message, type: type), status: 422)
            } catch {
                return .json(Self.detail("Internal Server Error"), status: 500)
            }
        } else {
            // The legacy GET lists every live session.
            limit = max(1, state.sessions.count)
        }
        startPending(before: page, state: &state)
        let matching = Self.ordered(
            state.sessions.filter { session in filters.allSatisfy { $0.matches(session) } }, descending: descending)
        let rows = Self.slice(matching, page: page, limit: limit).map {
            $0.legacyJSON(projectKey: options.projectKey, projectID: options.projectID)
        }
        return .json(
            .object([("data", .object([("total", .int(Int64(matching.count))), ("sessions", .array(rows))]))]))
    }

    // MARK: Data

    private func startPending(before page: Int, state: inout State) {
        for _ in 0..<(state.startsBeforePage.removeValue(forKey: page) ?? 0) {
            // Newer than every live session, so it lands at the front and pushes the rest back.
            let newest = state.sessions.map(\.timestamp).max() ?? options.clock.now.millisecondsSinceEpoch
            let start = Timestamp(millisecondsSinceEpoch: max(newest + 1, options.clock.now.millisecondsSinceEpoch))
            state.sessions.append(state.factory.make(startedAt: start))
        }
    }

    /// With `activityEvery` set, sessions start, end and change as time passes.
    private func evolve(_ state: inout State) {
        for time in state.ticks.due(at: options.clock.now) {
            let roll = state.factory.random.next() % 10
            let count = state.sessions.count
            if count == 0 || (roll < 4 && count < options.sessions * 2) {
                state.sessions.append(state.factory.make(startedAt: time))
            } else if roll < 7 && count > options.sessions / 2 {
                state.sessions.remove(at: Int(state.factory.random.next() % UInt64(count)))
            } else {
                let index = Int(state.factory.random.next() % UInt64(count))
                state.factory.change(&state.sessions[index])
            }
        }
    }

    /// Ordered by start (the only order the service knows), ties by id.
    static func ordered(_ sessions: [OpenReplayLiveSession], descending: Bool) -> [OpenReplayLiveSession] {
        sessions.sorted { a, b in
            if a.timestamp != b.timestamp { return descending ? a.timestamp > b.timestamp : a.timestamp < b.timestamp }
            return descending ? a.sessionID > b.sessionID : a.sessionID < b.sessionID
        }
    }

    static func slice(_ sessions: [OpenReplayLiveSession], page: Int, limit: Int) -> [OpenReplayLiveSession] {
        let start = (page - 1) * limit
        guard start < sessions.count else { return [] }
        return Array(sessions[start..<min(sessions.count, start + limit)])
    }

    static func error(_ message: String) -> JSONOutput {
        .object([("error", .string(message))])
    }

    static func detail(_ message: String) -> JSONOutput {
        .object([("detail", .string(message))])
    }

    static func validation(loc: [JSONOutput], message: String, type: String) -> JSONOutput {
        .object([
            ("detail", .array([.object([("loc", .array(loc)), ("msg", .string(message)), ("type", .string(type))])]))
        ])
    }
}
