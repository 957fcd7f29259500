import Archive
import SQLiteDB
import SessionSyncSupport

/// The same rows as a workload, written by a bare loop of prepared inserts through our SQLite
/// layer, one transaction per 100 sessions: what plain SQLite does on this machine right now.
enum Baseline {
    struct Result {
        let rows: Int
        let seconds: Double
    }

    /// Each session's `raw` and `detail_raw` as the archive keeps them: the session's listing
    /// entry and, for the detail workload, its details verbatim (nil otherwise). Shared with
    /// ``PostgresBaseline`` so that both baselines write the same payloads.
    static func payloads(_ workload: Workload, sessions count: Int) -> (raws: [String], details: [String?]) {
        let raws: [String] = (0..<count).map { index in
            switch workload {
            case .listOnly, .chat: Renderer.yourgptSession(index, of: count).text
            case .fanOut: Renderer.realtimekitSession(index, of: count).text
            case .detail: Renderer.isnotaiSession(index, of: count).text
            }
        }
        let details: [String?] = (0..<count).map { index in
            workload == .detail ? Renderer.detailsData(of: index, of: count).text : nil
        }
        return (raws, details)
    }

    static func run(_ workload: Workload, sessions count: Int, path: String) throws -> Result {
        // Our SQLite layer with SQLite's own settings, as a plain loader would have them: in
        // particular the automatic WAL checkpoint, which `ArchiveStore` replaces with its own.
        let connection = try Connection(path: path)
        try ArchiveMigrations.migrator().migrate(connection, now: { Timestamp.now().iso8601 })
        let insertSource = try connection.prepare(
            "INSERT INTO sources (name, provider, created_at) VALUES ('bench', 'baseline', ?)")
        try insertSource.bind([.text(Timestamp.now().iso8601)])
        try insertSource.run()
        let sourceID = connection.lastInsertedRowID
        let insertSession = try connection.prepare(
            """
            INSERT INTO sessions (source_id, external_id, kind, status, title, user_id, started_at, ended_at, country,
                device_type, metadata, raw, first_seen_at, last_seen_at, updated_at, detail_raw)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?13, ?14)
            """
        )
        let insertParticipant = try connection.prepare(
            "INSERT INTO participants (session_id, external_id, user_id, display_name, role, joined_at, left_at, duration_seconds, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        let insertTimeline = try connection.prepare(
            "INSERT INTO timeline (session_id, bucket_at, event_count, dominant_event_type, activity_level) VALUES (?, ?, ?, ?, ?)"
        )
        let insertPage = try connection.prepare(
            "INSERT INTO page_history (session_id, seq, url, visited_at, type, duration_ms) VALUES (?, ?, ?, ?, ?, ?)"
        )
        let insertMessage = try connection.prepare(
            "INSERT INTO messages (session_id, external_id, sender, sent_at, content_type, body, raw) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        let insertCount = try connection.prepare(
            "INSERT INTO event_counts (session_id, event_type, count) VALUES (?, ?, ?)")
        // The rows' text is rendered before the clock starts, as the server's answers are.
        let (raws, details) = payloads(workload, sessions: count)
        let now = Timestamp.now().iso8601
        let clock = ContinuousClock()
        let started = clock.now
        var rows = 0
        var index = 0
        while index < count {
            let end = min(count, index + 100)
            try connection.transaction {
                for session in index..<end {
                    let created = Workload.created(session, of: count)
                    try insertSession.bind(sourceID, at: 1)
                    try insertSession.bind("s\(session)", at: 2)
                    try insertSession.bind(
                        workload == .fanOut ? "meeting" : workload == .detail ? "activity" : "chat", at: 3)
                    try insertSession.bind("closed", at: 4)
                    try insertSession.bind("Session \(session)", at: 5)
                    try insertSession.bind("user-\(session % 900)", at: 6)
                    try insertSession.bind(created.iso8601, at: 7)
                    try insertSession.bind(created.adding(.seconds(1800)).iso8601, at: 8)
                    try insertSession.bind("US", at: 9)
                    try insertSession.bind("desktop", at: 10)
                    try insertSession.bind(#"{"chat_mode":"bot","created_at":"\#(created.iso8601)"}"#, at: 11)
                    try insertSession.bind(raws[session], at: 12)
                    try insertSession.bind(now, at: 13)
                    try insertSession.bind(details[session], at: 14)
                    try insertSession.run()
                    let id = connection.lastInsertedRowID
                    rows += 1
                    switch workload {
                    case .listOnly:
                        break
                    case .chat:
                        for message in 0..<Workload.messages {
                            try insertMessage.bind(id, at: 1)
                            try insertMessage.bind("\(session * Workload.messages + message)", at: 2)
                            try insertMessage.bind(message % 2 == 0 ? "visitor" : "bot", at: 3)
                            try insertMessage.bind(created.adding(.seconds(Int64(20 + message))).iso8601, at: 4)
                            try insertMessage.bind("text", at: 5)
                            try insertMessage.bind(Renderer.messageBody(session: session, message: message), at: 6)
                            try insertMessage.bind(
                                #"{"id":\#(session * Workload.messages + message),"send_by":"bot"}"#, at: 7)
                            try insertMessage.run()
                            rows += 1
                        }
                    case .fanOut:
                        for person in 0..<Workload.participants {
                            try insertParticipant.bind(id, at: 1)
                            try insertParticipant.bind("peer-\(session)-\(person)", at: 2)
                            try insertParticipant.bind("user-\(person)", at: 3)
                            try insertParticipant.bind("Person \(person)", at: 4)
                            try insertParticipant.bind("participant", at: 5)
                            try insertParticipant.bind(created.iso8601, at: 6)
                            try insertParticipant.bind(created.adding(.seconds(2700)).iso8601, at: 7)
                            try insertParticipant.bind(2700.0, at: 8)
                            try insertParticipant.bind(#"{"id":"peer-\#(session)-\#(person)","duration":45.0}"#, at: 9)
                            try insertParticipant.run()
                            rows += 1
                        }
                    case .detail:
                        for (offset, type) in ["total", "mouse", "scroll", "keyboard", "touch", "form"].enumerated() {
                            try insertCount.bind(id, at: 1)
                            try insertCount.bind(type, at: 2)
                            try insertCount.bind(Int64(offset * 10), at: 3)
                            try insertCount.run()
                            rows += 1
                        }
                        for point in 0..<Workload.timelinePoints {
                            try insertTimeline.bind(id, at: 1)
                            try insertTimeline.bind(created.adding(.seconds(Int64(point) * 30)).iso8601, at: 2)
                            try insertTimeline.bind(Int64(point % 40), at: 3)
                            try insertTimeline.bind("mouse", at: 4)
                            try insertTimeline.bind(Double(point % 10) / 10, at: 5)
                            try insertTimeline.run()
                            rows += 1
                        }
                        for visit in 0..<Workload.pageVisits {
                            try insertPage.bind(id, at: 1)
                            try insertPage.bind(Int64(visit), at: 2)
                            try insertPage.bind("https://shop.example.com/p/\(visit)", at: 3)
                            try insertPage.bind(created.adding(.seconds(Int64(visit) * 90)).iso8601, at: 4)
                            try insertPage.bind("navigation", at: 5)
                            try insertPage.bind(Int64(1000 + visit), at: 6)
                            try insertPage.run()
                            rows += 1
                        }
                    }
                }
            }
            index = end
        }
        let elapsed = clock.now - started
        return Result(
            rows: rows, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
