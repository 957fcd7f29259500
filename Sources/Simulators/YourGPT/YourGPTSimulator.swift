import SessionSyncSupport
import Synchronization

/// YourGPT's `getSessions` and `getSessionMessages`, as the seed documents them: `api-key`
/// header, JSON bodies, `{"type": "RXSUCCESS" | "RXERROR"}` envelopes, newest-first ordering by
/// last message time that moves as conversations get messages, filters, and messages paging.
public final class YourGPTSimulator: SimulatedAPI {
    public struct Options: Sendable {
        public var apiKey = "ygpt-test-key"
        public var seed: UInt64 = 7
        public var sessions = 250
        /// How far back the first sessions start.
        public var history: Duration = .seconds(3 * 86_400)
        public var clock = SimulationClock.real()
        /// With a real clock: one new message every this long, one new session every four of those.
        public var activityEvery: Duration? = nil

        public init() {}
    }

    struct Message {
        let id: Int64
        let sendBy: String
        let text: String
        let createdAt: Timestamp
    }

    struct Session {
        let id: Int64
        let uid: String
        let integration: String
        let chatMode: String
        var state: String
        let country: String
        let device: String
        let platform: String
        var contactID: Int64
        let visitorID: Int64
        let visitorName: String
        let ip: String
        let createdAt: Timestamp
        var updatedAt: Timestamp
        var messages: [Message]

        var lastMessage: Message? { messages.last }
    }

    struct State {
        var sessions: [Session] = []
        var nextSessionID: Int64 = 1000
        var nextMessageID: Int64 = 50_000
        var random: SeededRandom
        var ticks: ActivityTicks
        /// Page number → sessions to move to the front just before that page is answered.
        var movesBeforePage: [Int: [String]] = [:]
        var rxErrors = 0
    }

    public let options: Options
    private let state: Mutex<State>

    public init(options: Options = Options()) {
        self.options = options
        var random = SeededRandom(seed: options.seed)
        let now = options.clock.now
        var state = State(random: random, ticks: ActivityTicks(period: options.activityEvery, start: now))
        let start = now.subtracting(options.history)
        let span = max(1, options.history.milliseconds)
        for index in 0..<options.sessions {
            let created = start.adding(milliseconds: span * Int64(index) / Int64(max(1, options.sessions)))
            Self.addSession(to: &state, createdAt: created, using: &random)
        }
        state.random = random
        self.state = Mutex(state)
    }

    // MARK: Test controls

    /// Gives session `uid` a new message, which moves it to the front of the newest-first listing.
    public func addMessage(to uid: String, text: String = "one more thing") {
        state.withLock { state in
            Self.appendMessage(to: &state, uid: uid, text: text, at: options.clock.now)
        }
    }

    /// Makes session `uid` a conversation of contact `contactID` (its `contact_id` and `contact_data`).
    public func setContact(of uid: String, to contactID: Int64) {
        state.withLock { state in
            guard let index = state.sessions.firstIndex(where: { $0.uid == uid }) else { return }
            state.sessions[index].contactID = contactID
        }
    }

    /// Moves `uid` to the front just before page `page` is answered (a session that changes while a client pages).
    public func moveToFront(_ uid: String, beforePage page: Int) {
        state.withLock { $0.movesBeforePage[page, default: []].append(uid) }
    }

    /// The next `count` requests answer `{"type": "RXERROR"}` with HTTP 200.
    public func answerRXError(times count: Int) {
        state.withLock { $0.rxErrors = count }
    }

    /// The uids in the order the API lists them (newest last message first).
    public var uidsNewestFirst: [String] {
        state.withLock { Self.sorted($0.sessions, descending: true).map(\.uid) }
    }

    public var sessionCount: Int {
        state.withLock { $0.sessions.count }
    }

    /// How many messages session `uid` has.
    public func messageCount(of uid: String) -> Int {
        state.withLock { state in state.sessions.first { $0.uid == uid }?.messages.count ?? 0 }
    }

    // MARK: API

    public func respond(to request: SimulatedRequest) -> SimulatedResponse {
        guard request.method == "POST" else {
            return .json(Self.error("Route not found"), status: 404)
        }
        guard let key = request.header("api-key"), key == options.apiKey else {
            return .json(Self.error("Invalid or revoked API token"), status: 401)
        }
        return state.withLock { state in
            evolve(&state)
            if state.rxErrors > 0 {
                state.rxErrors -= 1
                return .json(Self.error("Something went wrong, please try again"), status: 200)
            }
            guard let body = request.json, body.root.kind == .object else {
                return .json(Self.error("Invalid params"), status: 400)
            }
            switch request.path {
            case "/chatbot/v1/getSessions": return sessions(body.root, state: &state)
            case "/chatbot/v1/getSessionMessages": return messages(body.root, state: state)
            default: return .json(Self.error("Route not found"), status: 404)
            }
        }
    }

    private func sessions(_ body: JSONValue, state: inout State) -> SimulatedResponse {
        let limit = body["limit"]?.int ?? 10
        let page = body["page"]?.int ?? 1
        guard (1...100).contains(limit), page >= 1 else {
            return .json(Self.error("Invalid params: limit must be 1 to 100 and page at least 1"), status: 400)
        }
        for uid in state.movesBeforePage.removeValue(forKey: page) ?? [] {
            Self.appendMessage(to: &state, uid: uid, text: "moved while paging", at: options.clock.now)
        }
        let from = body["from"]?.string.flatMap(Timestamp.init(iso8601:))
        let to = body["to"]?.string.flatMap(Timestamp.init(iso8601:)).map { $0.adding(.seconds(86_400)) }
        let descending = body["orderBy"]?.string?.uppercased() == "DESC"
        var rows = state.sessions.filter { session in
            let time = session.lastMessage?.createdAt ?? session.createdAt
            if let from, time < from { return false }
            if let to, time >= to { return false }
            return true
        }
        if let filters = body["filter"], filters.kind == .array {
            for filter in filters.elements {
                guard let key = filter["key"]?.string, let op = filter["operator"]?.string, let value = filter["value"]
                else {
                    return .json(
                        Self.error("Invalid params: each filter needs model, key, operator and value"), status: 400)
                }
                rows = rows.filter { Self.matches($0, key: key, op: op, value: value) }
            }
        }
        rows = Self.sorted(rows, descending: descending)
        let start = (page - 1) * limit
        let slice = start < rows.count ? Array(rows[start..<min(rows.count, start + limit)]) : []
        return .json(
            .object([
                ("type", .string("RXSUCCESS")), ("message", .string("Sessions fetched")),
                ("data", .array(slice.map(Self.json))),
            ]))
    }

    private func messages(_ body: JSONValue, state: State) -> SimulatedResponse {
        guard let uid = body["session_uid"]?.stringOrNumberText else {
            return .json(Self.error("Invalid params: session_uid is required"), status: 400)
        }
        guard let session = state.sessions.first(where: { $0.uid == uid }) else {
            return .json(Self.error("Session not found"), status: 404)
        }
        let limit = min(100, max(1, body["limit"]?.int ?? 10))
        let page = max(1, body["page"]?.int ?? 1)
        let ordered = body["orderBy"]?.string?.uppercased() == "DESC" ? session.messages.reversed() : session.messages
        let start = (page - 1) * limit
        let slice = start < ordered.count ? Array(ordered[start..<min(ordered.count, start + limit)]) : []
        let rows: [JSONOutput] = slice.map { message in
            .object([
                ("id", .int(message.id)), ("session_id", .int(session.id)), ("send_by", .string(message.sendBy)),
                ("rate", .string("0")), ("message", .string(message.text)), ("type", .int(1)), ("seen", .string("1")),
                ("sender_id", .int(message.sendBy == "user" ? session.visitorID : 0)),
                ("content_type", .string("text")),
                ("choices", .array([])), ("targets", .object([])), ("url", .string("")), ("delivered", .string("1")),
                ("provider_message_id", .string("")), ("streaming", .bool(false)), ("response_source", .string("")),
                ("extra_data", .object([])), ("createdAt", .string(message.createdAt.iso8601)), ("deleted_at", .null),
                ("AILog", .array([])),
            ])
        }
        return .json(
            .object([("type", .string("RXSUCCESS")), ("message", .string("Messages fetched")), ("data", .array(rows))]))
    }

    // MARK: Data

    /// With `activityEvery` set, conversations get messages (and new ones start) as time passes.
    private func evolve(_ state: inout State) {
        let due = state.ticks.due(at: options.clock.now)
        guard !due.isEmpty else { return }
        var random = state.random
        for (step, time) in due.enumerated() {
            if step % 4 == 3 {
                Self.addSession(to: &state, createdAt: time, using: &random)
            } else if !state.sessions.isEmpty {
                let uid = state.sessions[Int(random.next() % UInt64(state.sessions.count))].uid
                Self.appendMessage(to: &state, uid: uid, text: random.pick(Self.lines), at: time)
            }
        }
        state.random = random
    }

    static let lines = [
        "Hi, I need help with my order", "Where is my invoice?", "Can I change my plan?", "Thanks, that worked!",
        "The app crashes when I log in", "Do you ship to Canada?", "I'd like a refund", "Is there a student discount?",
        "Comma, \"quotes\" and ünïcödé 🚀", "How do I reset my password?",
    ]

    private static func addSession(to state: inout State, createdAt: Timestamp, using random: inout SeededRandom) {
        let id = state.nextSessionID
        state.nextSessionID += 1
        var session = Session(
            id: id, uid: "\(1_700_000_000 + id)",
            integration: random.pick(["web", "whatsapp", "telegram", "messenger", "email"]),
            chatMode: random.pick(["bot", "awaiting", "operator"]),
            state: random.pick(["pending", "unresolved", "resolved", "closed"]),
            country: random.pick(["US", "DE", "FR", "IN", "BR", "JP"]),
            device: random.pick(["desktop", "mobile", "tablet"]),
            platform: random.pick(["web", "android", "ios"]),
            contactID: random.next() % 3 == 0 ? 0 : Int64(random.next() % 5000) + 1,
            visitorID: Int64(random.next() % 90_000) + 10_000,
            visitorName: random.pick(["Ada", "Grace", "Linus", "Ken", "Barbara"]),
            ip: "203.0.113.\(random.next() % 250)", createdAt: createdAt, updatedAt: createdAt, messages: []
        )
        let count = Int(random.next() % 4) + 1
        for offset in 0..<count {
            let message = Message(
                id: state.nextMessageID, sendBy: offset % 2 == 0 ? "user" : "bot", text: random.pick(lines),
                createdAt: createdAt.adding(milliseconds: Int64(offset) * 45_000)
            )
            state.nextMessageID += 1
            session.messages.append(message)
        }
        session.updatedAt = session.messages.last?.createdAt ?? createdAt
        state.sessions.append(session)
    }

    private static func appendMessage(to state: inout State, uid: String, text: String, at time: Timestamp) {
        guard let index = state.sessions.firstIndex(where: { $0.uid == uid }) else { return }
        // Keep last-message times strictly increasing, so "moved to the front" is unambiguous.
        let newest = state.sessions.compactMap { $0.lastMessage?.createdAt }.max() ?? time
        let at = max(time, newest.adding(milliseconds: 1))
        state.sessions[index].messages.append(
            Message(id: state.nextMessageID, sendBy: "user", text: text, createdAt: at))
        state.nextMessageID += 1
        state.sessions[index].updatedAt = at
        if state.sessions[index].state == "closed" || state.sessions[index].state == "resolved" {
            state.sessions[index].state = "unresolved"
        }
    }

    static func sorted(_ sessions: [Session], descending: Bool) -> [Session] {
        sessions.sorted { a, b in
            let ta = a.lastMessage?.createdAt ?? a.createdAt
            let tb = b.lastMessage?.createdAt ?? b.createdAt
            if ta != tb { return descending ? ta > tb : ta < tb }
            return descending ? a.id > b.id : a.id < b.id
        }
    }

    static func matches(_ session: Session, key: String, op: String, value: JSONValue) -> Bool {
        let field: String =
            switch key {
            case "integration": session.integration
            case "chat_mode": session.chatMode
            case "state": session.state
            case "contact_id": "\(session.contactID)"
            case "visitor_id": "\(session.visitorID)"
            default: ""
            }
        let values =
            value.kind == .array ? value.elements.compactMap(\.stringOrNumberText) : [value.stringOrNumberText ?? ""]
        let first = values.first ?? ""
        switch op {
        case "eq": return field == first
        case "ne": return field != first
        case "in": return values.contains(field)
        case "notIn": return !values.contains(field)
        case "startsWith": return field.hasPrefix(first)
        case "endsWith": return field.hasSuffix(first)
        case "gt", "gte", "lt", "lte":
            guard let a = Double(field), let b = Double(first) else { return false }
            return op == "gt" ? a > b : op == "gte" ? a >= b : op == "lt" ? a < b : a <= b
        default: return false
        }
    }

    static func json(_ session: Session) -> JSONOutput {
        let last = session.lastMessage
        return .object([
            ("id", .int(session.id)), ("project_id", .int(42)), ("session_uid", .string(session.uid)),
            ("integration_id", .int(7)), ("status", .string("1")), ("device_type", .string(session.device)),
            ("platform", .string(session.platform)), ("chat_mode", .string(session.chatMode)),
            ("ip", .string(session.ip)),
            ("country", .string(session.country)), ("segment", .string("")),
            (
                "data",
                .object([
                    ("integration", .string(session.integration)),
                    ("page_url", .string("https://shop.example.com/help")),
                ])
            ),
            ("state", .string(session.state.uppercased())), ("contact_id", .int(session.contactID)),
            ("created_at", .string(session.createdAt.iso8601)), ("updated_at", .string(session.updatedAt.iso8601)),
            ("total_unseen", .string("\(session.messages.count % 3)")),
            ("last_message_time", .optional(last?.createdAt.iso8601)), ("last_message", .optional(last?.text)),
            ("last_message_id", .optional(last?.id)), ("last_message_content_type", .string("text")),
            ("last_message_type", .int(1)),
            (
                "visitor_data",
                .object([
                    ("name", .string(session.visitorName)), ("visitor_id", .int(session.visitorID)),
                    ("ip", .string(session.ip)),
                ])
            ),
            (
                "contact_data",
                session.contactID == 0
                    ? .object([]) : .object([("email", .string("contact\(session.contactID)@example.com"))])
            ),
            ("session_meta", .object([("browser", .string("Chrome")), ("language", .string("en"))])),
        ])
    }

    static func error(_ message: String) -> JSONOutput {
        .object([("type", .string("RXERROR")), ("message", .string(message))])
    }
}
