import SessionSyncSupport
import Synchronization

/// isnotai's public API as documented: `Authorization: Bearer aik_v1_…` (or `x-api-key`), the
/// `x-isnotai-tier` header on every authenticated answer, `GET /v1/sessions` with opaque cursor
/// paging, a plan-clamped `pageSize` echoed in `pagination.limit` and the plan's history window
/// (an older `startDate` gets an empty page), `GET /v1/sessions/{id}`, `GET /v1/sessions/{id}/details`,
/// and the `{"error": {"code", "message", "details"}}` envelope.
///
/// Sessions are created over time and close when their planned length has passed on the
/// simulation clock; closing (and ``touch(_:)``) moves `updatedAt`. The listing is newest first,
/// which clients must not rely on (the order is undocumented).
public final class IsNotAISimulator: SimulatedAPI {
    public struct Options: Sendable {
        public var apiKey = "aik_v1_c2ltdWxhdGVkLWtleS1mb3ItdGVzdHMtb25seS0wMDE"
        public var seed: UInt64 = 5
        public var sessions = 120
        /// The initial sessions are created evenly over this span before the clock's start.
        public var history: Duration = .seconds(2 * 86_400)
        /// `free`, `pro` or `enterprise`.
        public var tier = "pro"
        public var clock = SimulationClock.real()
        /// Planned session lengths are drawn between these.
        public var shortestSession: Duration = .seconds(60)
        public var longestSession: Duration = .seconds(45 * 60)
        /// With a real clock (the demo): a new session every this long.
        public var activityEvery: Duration? = nil

        public init() {}
    }

    struct Plan {
        let window: Duration
        let maxPageSize: Int

        static func named(_ tier: String) -> Plan {
            switch tier {
            case "free": Plan(window: .seconds(7 * 86_400), maxPageSize: 50)
            case "enterprise": Plan(window: .seconds(7 * 365 * 86_400), maxPageSize: 100)
            default: Plan(window: .seconds(30 * 86_400), maxPageSize: 100)
            }
        }
    }

    struct Session {
        let id: String
        let createdAt: Timestamp
        /// When it closes (or closed); nil: open until ``IsNotAISimulator/closeSession(_:)``.
        var closesAt: Timestamp?
        var touchedAt: Timestamp?
        var botScore: Double
        var flags: [String]
        let pageURL: String
        let userAgent: String
        let userID: String?
        let userName: String?
        let detailSeed: UInt64
        /// Events processed after the session closed (``IsNotAISimulator/touch(_:)``).
        var lateEvents: Int64 = 0

        func isClosed(at now: Timestamp) -> Bool {
            closesAt.map { $0 <= now } ?? false
        }

        func updatedAt(at now: Timestamp) -> Timestamp {
            var time = createdAt
            if let touchedAt { time = max(time, touchedAt) }
            if let closesAt, closesAt <= now { time = max(time, closesAt) }
            return time
        }
    }

    struct State {
        var sessions: [Session] = []
        var random: SeededRandom
        var apiKey: String
        var tier: String
        var ticks: ActivityTicks
        var failingDetails = 0
    }

    public let options: Options
    private let state: Mutex<State>

    public init(options: Options = Options()) {
        self.options = options
        let now = options.clock.now
        var state = State(
            random: SeededRandom(seed: options.seed), apiKey: options.apiKey, tier: options.tier,
            ticks: ActivityTicks(period: options.activityEvery, start: now))
        let start = now.subtracting(options.history)
        let span = max(1, options.history.milliseconds)
        for index in 0..<options.sessions {
            let created = start.adding(milliseconds: span * Int64(index) / Int64(max(1, options.sessions)))
            Self.addSession(to: &state, createdAt: created, lasting: nil, options: options)
        }
        self.state = Mutex(state)
    }

    // MARK: Test controls

    /// Creates a session (at `createdAt`, default now); it closes after `lasting`, or stays open
    /// until ``closeSession(_:)`` when `lasting` is nil. Returns its id.
    @discardableResult
    public func addSession(createdAt: Timestamp? = nil, lasting: Duration? = nil) -> String {
        state.withLock { state in
            Self.addSession(
                to: &state, createdAt: createdAt ?? options.clock.now, lasting: lasting, openEnded: lasting == nil,
                options: options)
        }
    }

    /// Closes session `id` now (its `updatedAt` moves, its details get an `endTime`).
    public func closeSession(_ id: String) {
        mutate(id) { session, now in session.closesAt = now }
    }

    /// A late change: bot score and flags move, late events are added to the details, `updatedAt` moves.
    public func touch(_ id: String) {
        mutate(id) { session, now in
            session.touchedAt = now
            session.botScore = min(1, session.botScore + 0.25)
            if !session.flags.contains("late_replay") { session.flags.append("late_replay") }
            session.lateEvents += 7
        }
    }

    /// Deletes session `id` upstream: it leaves the listing and its details answer 404.
    public func removeSession(_ id: String) {
        state.withLock { $0.sessions.removeAll { $0.id == id } }
    }

    /// The next `count` details requests answer 503 with the error envelope.
    public func failNextDetails(times count: Int) {
        state.withLock { $0.failingDetails = count }
    }

    /// Replaces the accepted key (the old one is refused from now on).
    public func rotateAPIKey(to key: String) {
        state.withLock { $0.apiKey = key }
    }

    public func setTier(_ tier: String) {
        state.withLock { $0.tier = tier }
    }

    /// Every visible session id, newest first (the listing's order).
    public var sessionIDs: [String] {
        state.withLock { state in Self.newestFirst(visible(state)).map(\.id) }
    }

    public var openSessionIDs: [String] {
        let now = options.clock.now
        return state.withLock { state in Self.newestFirst(visible(state)).filter { !$0.isClosed(at: now) }.map(\.id) }
    }

    public var closedSessionIDs: [String] {
        let now = options.clock.now
        return state.withLock { state in Self.newestFirst(visible(state)).filter { $0.isClosed(at: now) }.map(\.id) }
    }

    /// The `data` object `GET /v1/sessions/{id}/details` answers now, as JSON text.
    public func detailsJSON(of id: String) -> String? {
        let now = options.clock.now
        return state.withLock { state in state.sessions.first { $0.id == id }.map { Self.details($0, now: now).text } }
    }

    /// The `PublicSession` object the listing answers now, as JSON text.
    public func sessionJSON(of id: String) -> String? {
        let now = options.clock.now
        return state.withLock { state in
            state.sessions.first { $0.id == id }.map { Self.publicSession($0, now: now).text }
        }
    }

    // MARK: API

    public func respond(to request: SimulatedRequest) -> SimulatedResponse {
        if request.path == "/health" {
            return .json(
                .object([
                    ("status", .string("healthy")), ("version", .string("1.0.17.0")),
                    ("timestamp", .string(Self.healthTime(options.clock.now))),
                ]))
        }
        return state.withLock { state in
            let bearer = request.header("Authorization").flatMap {
                $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil
            }
            guard let key = bearer ?? request.header("x-api-key"), key == state.apiKey else {
                // No tier header: the key names no integration (or not in this region).
                return Self.error(
                    401, "INVALID_API_KEY", "The API key is missing, malformed, revoked or not valid for this region.")
            }
            evolve(&state)
            var response = route(request, state: &state)
            response.headers.append(("x-isnotai-tier", state.tier))
            return response
        }
    }

    private func route(_ request: SimulatedRequest, state: inout State) -> SimulatedResponse {
        guard request.method == "GET" else {
            return Self.error(405, "METHOD_NOT_ALLOWED", "The API is read-only.")
        }
        let segments = request.segments
        let now = options.clock.now
        switch segments.count {
        case 2 where segments == ["v1", "integration"]:
            return .json(
                .object([
                    (
                        "data",
                        .object([
                            ("id", .string("int_sim")), ("name", .string("Simulated integration")),
                            ("tier", .string(state.tier)),
                        ])
                    )
                ]))
        case 2 where segments == ["v1", "sessions"]:
            return list(request, state: state, now: now)
        case 3 where segments[0] == "v1" && segments[1] == "sessions":
            guard let session = state.sessions.first(where: { $0.id == segments[2] && $0.createdAt <= now }) else {
                return Self.notFound(segments[2])
            }
            return .json(.object([("data", Self.publicSession(session, now: now))]))
        case 4 where segments[0] == "v1" && segments[1] == "sessions" && segments[3] == "details":
            if state.failingDetails > 0 {
                state.failingDetails -= 1
                return Self.error(
                    503, "SERVICE_UNAVAILABLE", "Session details are temporarily unavailable; retry later.")
            }
            guard let session = state.sessions.first(where: { $0.id == segments[2] && $0.createdAt <= now }) else {
                return Self.notFound(segments[2])
            }
            return .json(.object([("data", Self.details(session, now: now))]))
        default:
            return Self.error(404, "NOT_FOUND", "No route matches \(request.path).")
        }
    }

    private func list(_ request: SimulatedRequest, state: State, now: Timestamp) -> SimulatedResponse {
        let plan = Plan.named(state.tier)
        var pageSize = 50
        if let text = request.query("pageSize") {
            guard let value = Int(text), value >= 1 else {
                return Self.error(
                    400, "VALIDATION_ERROR", "pageSize must be an integer of at least 1.", field: "pageSize")
            }
            pageSize = value
        }
        pageSize = min(pageSize, plan.maxPageSize)
        var bounds: [String: Timestamp] = [:]
        for name in ["startDate", "endDate"] {
            guard let text = request.query(name) else { continue }
            guard let time = Timestamp(iso8601: text) else {
                return Self.error(400, "VALIDATION_ERROR", "\(name) must be an ISO-8601 date-time.", field: name)
            }
            bounds[name] = time
        }
        let windowStart = now.subtracting(plan.window)
        if let start = bounds["startDate"], start < windowStart {
            // Outside the plan's history window: an empty page, not an error.
            return Self.page([], nextCursor: nil, limit: pageSize)
        }
        let status = request.query("status")?.lowercased()
        let botOnly = request.query("botOnly")?.lowercased() == "true"
        var rows = Self.newestFirst(visible(state)).filter { session in
            if session.createdAt < windowStart { return false }
            if let start = bounds["startDate"], session.createdAt < start { return false }
            if let end = bounds["endDate"], session.createdAt > end { return false }
            if let status, (session.isClosed(at: now) ? "closed" : "active") != status { return false }
            if botOnly && session.botScore < 0.7 { return false }
            return true
        }
        if let cursor = request.query("cursor") {
            guard let key = Self.decodeCursor(cursor) else {
                return Self.error(
                    400, "INVALID_CURSOR", "The cursor is not valid; start again without one.", field: "cursor")
            }
            rows = rows.filter { Self.isAfter($0, key) }
        }
        let slice = Array(rows.prefix(pageSize))
        let next =
            rows.count > pageSize
            ? slice.last.map { Self.encodeCursor(($0.createdAt.millisecondsSinceEpoch, $0.id)) } : nil
        return Self.page(slice.map { Self.publicSession($0, now: now) }, nextCursor: next, limit: pageSize)
    }

    // MARK: Data

    private func visible(_ state: State) -> [Session] {
        let now = options.clock.now
        return state.sessions.filter { $0.createdAt <= now }
    }

    private func mutate(_ id: String, _ change: (inout Session, Timestamp) -> Void) {
        let now = options.clock.now
        state.withLock { state in
            guard let index = state.sessions.firstIndex(where: { $0.id == id }) else { return }
            change(&state.sessions[index], now)
        }
    }

    /// With `activityEvery` set, new sessions start as time passes.
    private func evolve(_ state: inout State) {
        for created in state.ticks.due(at: options.clock.now) {
            Self.addSession(to: &state, createdAt: created, lasting: nil, options: options)
        }
    }

    static let paths = [
        "/", "/pricing", "/signup", "/docs/getting-started", "/dashboard", "/settings/billing", "/blog/launch",
        "/checkout",
    ]
    static let agents = [
        "Chrome 131 on macOS", "Safari 18 on iOS", "Firefox 133 on Windows", "Edge 131 on Windows",
        "HeadlessChrome 120 on Linux",
    ]
    static let names = ["Ada Lovelace", "Grace Hopper", "Linus T.", "Ken Thompson", "Barbara Liskov", "Zoë Ünïcödé"]
    static let flagNames = ["headless_browser", "automation_suspected", "datacenter_ip", "inhuman_typing_speed"]
    static let kinds = ["mouse", "scroll", "keyboard", "touch", "form"]
    static let pageTypes = ["navigation", "reload", "back_forward", "spa_route"]

    @discardableResult
    private static func addSession(
        to state: inout State, createdAt: Timestamp, lasting: Duration?, openEnded: Bool = false, options: Options
    ) -> String {
        var random = state.random
        let id = "ses_" + random.hex(20)
        let shortest = options.shortestSession.milliseconds
        let spread = max(1, options.longestSession.milliseconds - shortest)
        let planned = lasting?.milliseconds ?? (shortest + Int64(random.next() % UInt64(spread)))
        let bot = random.next() % 5 == 0
        let score = bot ? 0.7 + Double(random.next() % 30) / 100 : Double(random.next() % 40) / 100
        var flags: [String] = []
        if bot {
            flags.append(random.pick(flagNames))
            if random.next() % 2 == 0 { flags.append("datacenter_ip") }
        }
        let identified = random.next() % 3 != 0
        let userNumber = random.next() % 9000 + 1000
        let session = Session(
            id: id, createdAt: createdAt, closesAt: openEnded ? nil : createdAt.adding(milliseconds: planned),
            touchedAt: nil,
            botScore: score, flags: flags, pageURL: "https://app.example.com" + random.pick(paths),
            userAgent: bot ? "HeadlessChrome 120 on Linux" : random.pick(agents),
            userID: identified ? "usr_\(userNumber)" : nil, userName: identified ? random.pick(names) : nil,
            detailSeed: random.next()
        )
        state.random = random
        state.sessions.append(session)
        return id
    }

    static func newestFirst(_ sessions: [Session]) -> [Session] {
        sessions.sorted { a, b in a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id }
    }

    static func isAfter(_ session: Session, _ key: (Int64, String)) -> Bool {
        let time = session.createdAt.millisecondsSinceEpoch
        return time < key.0 || (time == key.0 && session.id < key.1)
    }

    static func publicSession(_ session: Session, now: Timestamp) -> JSONOutput {
        .object([
            ("id", .string(session.id)), ("createdAt", .string(session.createdAt.iso8601)),
            ("updatedAt", .string(session.updatedAt(at: now).iso8601)),
            ("status", .string(session.isClosed(at: now) ? "closed" : "active")),
            ("botScore", .double(session.botScore)), ("detectionFlags", .array(session.flags.map(JSONOutput.string))),
            ("pageUrl", .string(session.pageURL)), ("userAgentSummary", .string(session.userAgent)),
            ("userId", .optional(session.userID)), ("userName", .optional(session.userName)),
            ("userUrl", .optional(session.userID.map { "https://app.example.com/admin/users/\($0)" })),
        ])
    }

    /// The details as of `now`: an open session has no `endTime` and its timeline and page
    /// history grow until it closes.
    static func details(_ session: Session, now: Timestamp) -> JSONOutput {
        let closed = session.isClosed(at: now)
        let end = closed ? session.closesAt! : max(now, session.createdAt)
        let elapsed = end.millisecondsSinceEpoch - session.createdAt.millisecondsSinceEpoch
        let bucketCount = min(240, max(1, Int((elapsed + 59_999) / 60_000)))
        var totals = [Int64](repeating: 0, count: kinds.count)
        var timeline: [JSONOutput] = []
        for bucket in 0..<bucketCount {
            var random = SeededRandom(seed: session.detailSeed &+ UInt64(bucket))
            let counts: [Int64] = [40, 15, 25, 5, 3].map { Int64(random.next() % UInt64($0 + 1)) }
            for (index, count) in counts.enumerated() { totals[index] += count }
            let sum = counts.reduce(0, +)
            let dominant = counts.indices.max { counts[$0] < counts[$1] } ?? 0
            timeline.append(
                .object([
                    ("timestamp", .string(session.createdAt.adding(milliseconds: Int64(bucket) * 60_000).iso8601)),
                    ("eventCount", .int(sum)), ("dominantEventType", .string(kinds[dominant])),
                    ("activityLevel", .double((Double(sum) / 88 * 100).rounded() / 100)),
                ])
            )
        }
        totals[2] += session.lateEvents
        var eventCounts: [(String, JSONOutput)] = [("total", .int(totals.reduce(0, +)))]
        for (index, kind) in kinds.enumerated() { eventCounts.append((kind, .int(totals[index]))) }

        var random = SeededRandom(seed: session.detailSeed ^ 0xA5A5)
        let planned =
            (session.closesAt ?? session.createdAt.adding(.seconds(1800))).millisecondsSinceEpoch
            - session.createdAt.millisecondsSinceEpoch
        let pageCount = Int(random.next() % 5) + 2
        var offsets = [Int64(0)] + (1..<pageCount).map { _ in Int64(random.next() % UInt64(max(1, planned))) }
        offsets.sort()
        let visits = offsets.map { session.createdAt.adding(milliseconds: $0) }.filter { $0 <= end }
        var history: [JSONOutput] = []
        for (index, visit) in visits.enumerated() {
            let leaves = index + 1 < visits.count ? visits[index + 1] : end
            history.append(
                .object([
                    (
                        "url",
                        .string(
                            index == 0
                                ? session.pageURL : "https://app.example.com" + random.pick(paths) + "?step=\(index)")
                    ),
                    ("timestamp", .string(visit.iso8601)),
                    ("type", .string(index == 0 ? "navigation" : random.pick(pageTypes))),
                    ("durationMs", .int(leaves.millisecondsSinceEpoch - visit.millisecondsSinceEpoch)),
                ])
            )
        }
        var members: [(String, JSONOutput)] = [
            ("sessionId", .string(session.id)), ("startTime", .string(session.createdAt.iso8601)),
        ]
        if closed { members.append(("endTime", .string(end.iso8601))) }
        members += [
            ("durationSeconds", .double(Double(elapsed) / 1000)), ("eventCounts", .object(eventCounts)),
            ("timeline", .array(timeline)), ("pageHistory", .array(history)),
        ]
        return .object(members)
    }

    static func page(_ rows: [JSONOutput], nextCursor: String?, limit: Int) -> SimulatedResponse {
        var pagination: [(String, JSONOutput)] = []
        if let nextCursor { pagination.append(("nextCursor", .string(nextCursor))) }
        pagination += [("hasMore", .bool(nextCursor != nil)), ("limit", .int(Int64(limit)))]
        return .json(.object([("data", .array(rows)), ("pagination", .object(pagination))]))
    }

    static func error(_ status: Int, _ code: String, _ message: String, field: String? = nil) -> SimulatedResponse {
        let details: JSONOutput = field.map { .object([("field", .string($0))]) } ?? .object([])
        return .json(
            .object([
                ("error", .object([("code", .string(code)), ("message", .string(message)), ("details", details)]))
            ]), status: status)
    }

    static func notFound(_ id: String) -> SimulatedResponse {
        .json(
            .object([
                (
                    "error",
                    .object([
                        ("code", .string("SESSION_NOT_FOUND")),
                        ("message", .string("No session \(id) in this integration.")),
                        ("details", .object([("sessionId", .string(id))])),
                    ])
                )
            ]),
            status: 404
        )
    }

    // Cursors are opaque to clients: the key of the last row, hex-encoded behind a version tag.
    static func encodeCursor(_ key: (Int64, String)) -> String {
        let text = "\(key.0)|\(key.1)"
        return "cur1_"
            + text.utf8.map { byte in
                let hex = String(byte ^ 0x5C, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
    }

    static func decodeCursor(_ cursor: String) -> (Int64, String)? {
        guard cursor.hasPrefix("cur1_") else { return nil }
        let hex = Array(cursor.dropFirst(5).utf8)
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: hex.count, by: 2) {
            guard let byte = UInt8(String(decoding: hex[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte ^ 0x5C)
        }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let time = Int64(parts[0]) else { return nil }
        return (time, String(parts[1]))
    }

    /// `/health` writes seven fractional digits and `+00:00`, unlike the rest of the API.
    static func healthTime(_ time: Timestamp) -> String {
        String(time.iso8601.dropLast()) + "0000+00:00"
    }
}
