import SessionSyncSupport

/// The synthetic sessions, in each provider's documented shape.
enum Renderer {
    /// What visitors and the bot say, in several scripts, so that the full-text index has real work.
    static let messageTexts = [
        "Where is my refund for invoice %d? It is late again.",
        "Thanks, that answers my question about order %d",
        "Can I change the delivery address of order %d to Zürich, Bahnhofstraße 1?",
        "Votre commande %d a été expédiée — merci de votre patience.",
        "注文 %d の配送状況を教えてください。",
        "How do I reset my password? The link for account %d expired.",
    ]

    static func messageBody(session index: Int, message: Int) -> String {
        messageTexts[(index + message) % messageTexts.count].split(separator: "%d", omittingEmptySubsequences: false)
            .joined(separator: "\(index)")
    }

    /// One `getSessionMessages` answer: the conversation's messages, newest first.
    static func messages(of index: Int, of count: Int) -> [UInt8] {
        let last = Workload.created(index, of: count).adding(.seconds(30))
        let rows: [JSONOutput] = (0..<Workload.messages).reversed().map { message in
            .object([
                ("id", .int(Int64(index * Workload.messages + message))),
                ("send_by", .string(message % 2 == 0 ? "visitor" : "bot")),
                ("content_type", .string("text")), ("message", .string(messageBody(session: index, message: message))),
                ("createdAt", .string(last.subtracting(.seconds(Int64(Workload.messages - message))).iso8601)),
            ])
        }
        return JSONOutput.object([
            ("type", .string("RXSUCCESS")), ("message", .string("Messages fetched")), ("data", .array(rows)),
        ]).bytes
    }

    static func yourgptSession(_ index: Int, of count: Int) -> JSONOutput {
        let created = Workload.created(index, of: count)
        let last = created.adding(.seconds(30))
        return .object([
            ("id", .int(Int64(10_000 + index))), ("project_id", .int(42)),
            ("session_uid", .string("\(1_700_000_000 + index)")),
            ("integration_id", .int(7)), ("status", .string("1")),
            ("device_type", .string(["desktop", "mobile"][index % 2])),
            ("platform", .string("web")), ("chat_mode", .string(["bot", "operator", "awaiting"][index % 3])),
            ("ip", .string("203.0.113.\(index % 250)")),
            ("country", .string(["US", "DE", "FR", "IN"][index % 4])), ("segment", .string("")),
            (
                "data",
                .object([
                    ("integration", .string("web")),
                    ("page_url", .string("https://shop.example.com/help/\(index % 50)")),
                ])
            ),
            ("state", .string(["PENDING", "RESOLVED", "CLOSED"][index % 3])), ("contact_id", .int(Int64(index % 900))),
            ("created_at", .string(created.iso8601)), ("updated_at", .string(last.iso8601)),
            ("total_unseen", .string("0")),
            ("last_message_time", .string(last.iso8601)),
            ("last_message", .string("Thanks, that answers my question about order \(index)")),
            ("last_message_id", .int(Int64(500_000 + index))), ("last_message_content_type", .string("text")),
            ("last_message_type", .int(1)),
            (
                "visitor_data",
                .object([("name", .string("Visitor \(index)")), ("visitor_id", .int(Int64(20_000 + index)))])
            ),
            ("contact_data", .object([("email", .string("contact\(index % 900)@example.com"))])),
            ("session_meta", .object([("browser", .string("Chrome")), ("language", .string("en"))])),
        ])
    }

    static func realtimekitID(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        return "bench000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    static func realtimekitSession(_ index: Int, of count: Int) -> JSONOutput {
        let created = Workload.created(index, of: count)
        let ended = created.adding(.seconds(45 * 60))
        return .object([
            ("id", .string(realtimekitID(index))), ("associated_id", .string("meeting-\(index % 300)")),
            ("meeting_display_name", .string("Weekly sync \(index % 300)")), ("type", .string("meeting")),
            ("status", .string("ENDED")),
            ("live_participants", .int(0)), ("max_concurrent_participants", .int(Int64(Workload.participants))),
            ("minutes_consumed", .double(Double(Workload.participants) * 45.5)),
            ("organization_id", .string(Workload.appID)),
            ("started_at", .string(created.iso8601)), ("created_at", .string(created.iso8601)),
            ("updated_at", .string(ended.iso8601)), ("ended_at", .string(ended.iso8601)),
        ])
    }

    static func participants(of index: Int) -> [UInt8] {
        let started = Workload.newest.subtracting(.seconds(86_400))
        let people: [JSONOutput] = (0..<Workload.participants).map { person in
            .object([
                ("id", .string("peer-\(index)-\(person)")), ("user_id", .string("user-\((index + person) % 700)")),
                ("custom_participant_id", .string("custom-\(person)")),
                ("display_name", .string("Person \((index + person) % 700)")),
                ("preset_name", .string(person == 0 ? "host" : "participant")), ("joined_at", .string(started.iso8601)),
                ("left_at", .string(started.adding(.seconds(2700)).iso8601)), ("duration", .double(45.0)),
                ("created_at", .string(started.iso8601)),
                ("updated_at", .string(started.adding(.seconds(2700)).iso8601)),
            ])
        }
        return JSONOutput.object([
            ("success", .bool(true)),
            ("data", .object([("participants", .array(people))])),
            (
                "paging",
                .object([
                    ("total_count", .int(Int64(Workload.participants))), ("start_offset", .int(1)),
                    ("end_offset", .int(Int64(Workload.participants))),
                ])
            ),
        ]).bytes
    }

    static func isnotaiID(_ index: Int) -> String {
        "ses_bench_\(index)"
    }

    static func isnotaiSession(_ index: Int, of count: Int) -> JSONOutput {
        let created = Workload.created(index, of: count)
        return .object([
            ("id", .string(isnotaiID(index))), ("createdAt", .string(created.iso8601)),
            ("updatedAt", .string(created.adding(.seconds(1800)).iso8601)), ("status", .string("closed")),
            ("botScore", .double(Double(index % 100) / 100)),
            ("detectionFlags", .array(index % 7 == 0 ? [.string("headless")] : [])),
            ("pageUrl", .string("https://shop.example.com/p/\(index % 400)")),
            ("userAgentSummary", .string("Chrome 131 on macOS")),
            ("userId", .string("user-\(index % 900)")), ("userName", .string("User \(index % 900)")),
            ("userUrl", .string("https://crm.example.com/u/\(index % 900)")),
        ])
    }

    static func details(of index: Int, of count: Int) -> [UInt8] {
        JSONOutput.object([("data", detailsData(of: index, of: count))]).bytes
    }

    /// The `data` object of a details answer: what the archive keeps as `detail_raw`.
    static func detailsData(of index: Int, of count: Int) -> JSONOutput {
        let start = Workload.created(index, of: count)
        var timeline: [JSONOutput] = []
        for point in 0..<Workload.timelinePoints {
            let at: String = start.adding(.seconds(Int64(point) * 30)).iso8601
            let events: Int64 = Int64((index + point) % 40)
            let dominant: String = ["mouse", "scroll", "keyboard"][point % 3]
            let level: Double = Double(point % 10) / 10
            timeline.append(
                .object([
                    ("timestamp", .string(at)), ("eventCount", .int(events)), ("dominantEventType", .string(dominant)),
                    ("activityLevel", .double(level)),
                ]))
        }
        var pages: [JSONOutput] = []
        for visit in 0..<Workload.pageVisits {
            let url: String = "https://shop.example.com/p/" + String((index + visit) % 400)
            let at: String = start.adding(.seconds(Int64(visit) * 90)).iso8601
            let type: String = visit == 0 ? "landing" : "navigation"
            let duration: Int64 = Int64(1000 + visit * 250)
            pages.append(
                .object([
                    ("url", .string(url)), ("timestamp", .string(at)), ("type", .string(type)),
                    ("durationMs", .int(duration)),
                ]))
        }
        return .object([
            ("sessionId", .string(isnotaiID(index))), ("startTime", .string(start.iso8601)),
            ("endTime", .string(start.adding(.seconds(1800)).iso8601)), ("durationSeconds", .double(1800)),
            (
                "eventCounts",
                .object([
                    ("total", .int(Int64(400 + index % 50))), ("mouse", .int(200)), ("scroll", .int(100)),
                    ("keyboard", .int(80)),
                    ("touch", .int(0)), ("form", .int(Int64(20 + index % 50))),
                ])
            ),
            ("timeline", .array(timeline)), ("pageHistory", .array(pages)),
        ])
    }
}
