import Foundation
import SessionSyncSupport
import Simulators

/// The seed corpus, written at fuzz time (nothing large is committed): what the four simulators
/// answer to the requests the providers make, and hand-written inputs at the edges the mappers
/// must survive (numbers beyond 64 bits, years outside 0001...9999, `Retry-After` beyond any
/// sane wait). One folder per ``FuzzTarget``.
struct SeedCorpus {
    private var seeds: [FuzzTarget: [(name: String, bytes: [UInt8])]] = [:]

    /// Writes every seed under `folder/<target>/` and answers how many each target got.
    static func write(into folder: String) async throws -> [FuzzTarget: Int] {
        var corpus = SeedCorpus()
        try await corpus.addSimulatorAnswers()
        corpus.addHandSeeds()
        corpus.addTimestampsFromAnswers()
        var counts: [FuzzTarget: Int] = [:]
        for (target, entries) in corpus.seeds {
            let directory = URL(fileURLWithPath: folder).appendingPathComponent(target.rawValue)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for entry in entries {
                try Data(entry.bytes).write(to: directory.appendingPathComponent(entry.name))
            }
            counts[target] = entries.count
        }
        return counts
    }

    private mutating func add(_ target: FuzzTarget, _ name: String, _ bytes: [UInt8]) {
        seeds[target, default: []].append((name, bytes))
    }

    private mutating func add(_ target: FuzzTarget, _ name: String, _ text: String) {
        add(target, name, Array(text.utf8))
    }

    /// A JSON answer seeds both the parser and the page mappings.
    private mutating func addAnswer(_ name: String, _ response: SimulatedResponse) {
        add(.json, name, response.body)
        add(.pages, name, response.body)
    }

    // MARK: Simulators

    private mutating func addSimulatorAnswers() async throws {
        addOpenReplayAnswers()
        addIsNotAIAnswers()
        try await addRealtimeKitAnswers()
        addYourGPTAnswers()
    }

    private mutating func addOpenReplayAnswers() {
        var options = OpenReplaySimulator.Options()
        options.sessions = 6
        let simulator = OpenReplaySimulator(options: options)
        let search = Array(#"{"order":"desc","page":1,"limit":4,"filters":[]}"#.utf8)
        let styles = [
            ("public", "/public/\(options.projectKey)/assist/sessions", "Bearer \(options.apiKey)"),
            ("legacy", "/api/v1/\(options.projectKey)/assist/sessions", options.apiKey),
        ]
        for (style, path, authorization) in styles {
            addAnswer(
                "sim-openreplay-\(style)-page",
                simulator.respond(to: post(path, search, headers: [("Authorization", authorization)])))
            addAnswer(
                "sim-openreplay-\(style)-unauthorized",
                simulator.respond(to: post(path, search, headers: [("Authorization", "wrong")])))
        }
        simulator.answerDataNull(times: 1)
        addAnswer(
            "sim-openreplay-data-null",
            simulator.respond(to: post(styles[0].1, search, headers: [("Authorization", styles[0].2)])))
    }

    private mutating func addIsNotAIAnswers() {
        var options = IsNotAISimulator.Options()
        options.sessions = 6
        let simulator = IsNotAISimulator(options: options)
        let auth = [("Authorization", "Bearer \(options.apiKey)")]
        let first = simulator.respond(to: get("/v1/sessions?pageSize=3", headers: auth))
        addAnswer("sim-isnotai-list-1", first)
        if let cursor = (try? JSONDocument(bytes: first.body))?.root["pagination"]?["nextCursor"]?.string {
            addAnswer(
                "sim-isnotai-list-2",
                simulator.respond(to: get("/v1/sessions?pageSize=3&cursor=\(cursor)", headers: auth)))
        }
        for (index, id) in simulator.sessionIDs.prefix(3).enumerated() {
            addAnswer("sim-isnotai-session-\(index)", simulator.respond(to: get("/v1/sessions/\(id)", headers: auth)))
            addAnswer(
                "sim-isnotai-details-\(index)", simulator.respond(to: get("/v1/sessions/\(id)/details", headers: auth)))
        }
        addAnswer("sim-isnotai-unauthorized", simulator.respond(to: get("/v1/sessions", headers: [])))
        addAnswer("sim-isnotai-not-found", simulator.respond(to: get("/v1/sessions/none/details", headers: auth)))
    }

    private mutating func addRealtimeKitAnswers() async throws {
        var options = RealtimeKitSimulator.Options()
        options.sessions = 5
        options.liveSessions = 1
        options.participantsPerSession = 2...4
        options.exportDelay = .zero
        let simulator = RealtimeKitSimulator(options: options)
        let exports = try await simulator.startExportServer()
        let root = "/accounts/\(options.accountID)/realtime/kit/\(options.appID)/sessions"
        let auth = [("Authorization", "Bearer \(options.apiToken)")]
        for (name, placement) in [
            ("top", RealtimeKitSimulator.PagingPlacement.topLevel), ("data", .insideData), ("none", .absent),
        ] {
            simulator.setPaging(placement)
            addAnswer(
                "sim-realtimekit-sessions-paging-\(name)",
                simulator.respond(to: get(root + "?per_page=2&page_no=1&sort_order=ASC", headers: auth)))
        }
        simulator.setPaging(.topLevel)
        for (index, id) in simulator.sessionIDs.prefix(2).enumerated() {
            simulator.setDetailShape(.nested)
            addAnswer(
                "sim-realtimekit-details-nested-\(index)", simulator.respond(to: get("\(root)/\(id)", headers: auth)))
            simulator.setDetailShape(.flat)
            addAnswer(
                "sim-realtimekit-details-flat-\(index)", simulator.respond(to: get("\(root)/\(id)", headers: auth)))
            addAnswer(
                "sim-realtimekit-participants-\(index)",
                simulator.respond(to: get("\(root)/\(id)/participants?per_page=3&page_no=1", headers: auth))
            )
            for export in ["chat", "transcript"] {
                let link = simulator.respond(to: get("\(root)/\(id)/\(export)", headers: auth))
                addAnswer("sim-realtimekit-\(export)-link-\(index)", link)
                let field = "\(export)_download_url"
                guard let url = (try? JSONDocument(bytes: link.body))?.root["data"]?[field]?.string,
                    let path = Self.pathAndQuery(of: url)
                else { continue }
                let file = simulator.exportHost.respond(to: get(path, headers: []))
                if file.status == 200 {
                    add(.csv, "sim-realtimekit-\(export)-\(index)", file.body)
                }
            }
        }
        addAnswer("sim-realtimekit-unauthorized", simulator.respond(to: get(root, headers: [])))
        addAnswer("sim-realtimekit-not-found", simulator.respond(to: get("\(root)/none", headers: auth)))
        await exports.shutdown()
    }

    private mutating func addYourGPTAnswers() {
        var options = YourGPTSimulator.Options()
        options.sessions = 6
        let simulator = YourGPTSimulator(options: options)
        let auth = [("api-key", options.apiKey)]
        addAnswer(
            "sim-yourgpt-sessions",
            simulator.respond(
                to: post(
                    "/chatbot/v1/getSessions", Array(#"{"limit":3,"page":1,"orderBy":"DESC"}"#.utf8), headers: auth))
        )
        for (index, uid) in simulator.uidsNewestFirst.prefix(2).enumerated() {
            let body = JSONOutput.object([
                ("session_uid", .string(uid)), ("orderBy", .string("DESC")), ("limit", .int(100)), ("page", .int(1)),
            ])
            addAnswer(
                "sim-yourgpt-messages-\(index)",
                simulator.respond(to: post("/chatbot/v1/getSessionMessages", body.bytes, headers: auth)))
        }
        addAnswer("sim-yourgpt-unauthorized", simulator.respond(to: post("/chatbot/v1/getSessions", [], headers: [])))
        simulator.answerRXError(times: 1)
        addAnswer(
            "sim-yourgpt-rxerror",
            simulator.respond(to: post("/chatbot/v1/getSessions", Array("{}".utf8), headers: auth)))
    }

    private func get(_ uri: String, headers: [(String, String)]) -> SimulatedRequest {
        SimulatedRequest(method: "GET", uri: uri, headers: headers, body: [])
    }

    private func post(_ uri: String, _ body: [UInt8], headers: [(String, String)]) -> SimulatedRequest {
        SimulatedRequest(
            method: "POST", uri: uri, headers: headers + [("Content-Type", "application/json")], body: body)
    }

    /// `/path?query` of an absolute URL.
    private static func pathAndQuery(of url: String) -> String? {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else {
            return nil
        }
        return String(url[slash...])
    }

    // MARK: Hand seeds

    private mutating func addHandSeeds() {
        let numbers = [
            "1e19", "-1e19", "1e308", "1e309", "-1e400", "100000000000000000000000", "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809", "0.1e-400", "-0", "1.5", "12.0",
        ]
        for (index, number) in numbers.enumerated() {
            add(.json, "hand-number-\(index)", number)
        }
        add(.json, "hand-deep", String(repeating: "[", count: 300) + String(repeating: "]", count: 300))
        add(.json, "hand-escapes", #"{"a\u0000b":"\ud800","\ud83d\ude00":"\udc00\ud800x","\/":"\b\f\n\r\t"}"#)

        let pages = [
            // RealtimeKit: paging counts beyond Int, dates outside 0001...9999.
            #"{"success":true,"data":{"sessions":[{"id":"s1","status":"ENDED","created_at":"0000-01-01T00:00:00Z","started_at":"99999-01-01T00:00:00Z","ended_at":"9999-12-31T23:59:59.999-01:00"}]},"paging":{"total_count":1e19,"start_offset":0,"end_offset":1e308}}"#,
            #"{"success":true,"data":{"participants":[{"id":"p1","duration":1e308,"joined_at":"0001-01-01T00:00:00+01:00"}],"paging":{"total_count":"100000000000000000000000","end_offset":-1e19}}}"#,
            // isnotai: listing and details at the edges.
            #"{"data":[{"id":"a","createdAt":"0000-02-29T00:00:00Z","botScore":1e308,"detectionFlags":[1e19]}],"pagination":{"hasMore":true,"nextCursor":"x"}}"#,
            #"{"data":{"startTime":"0001-01-01T00:00:00+23:59","endTime":"9999-12-31T23:59:59-23:59","durationSeconds":1e308,"eventCounts":{"total":1e19,"mouse":100000000000000000000000},"timeline":[{"timestamp":"1969-12-31T23:59:59.999Z","eventCount":1e19}],"pageHistory":[{"timestamp":"0000-01-01","durationMs":-1e19}]}}"#,
            // YourGPT: sessions and messages.
            #"{"type":"RXSUCCESS","data":[{"session_uid":1e19,"created_at":"0000-01-01 00:00:00","last_message_time":"99999-12-31T00:00:00Z","createdAt":"-0001-01-01T00:00:00Z","id":100000000000000000000000}]}"#,
            // OpenReplay: epoch milliseconds beyond any calendar.
            #"{"data":{"total":1e19,"sessions":[{"sessionID":"1","timestamp":9223372036854775807},{"sessionID":"2","timestamp":-9223372036854775808},{"sessionID":"3","timestamp":"-62135596800001"},{"sessionID":"4","timestamp":1e19}]}}"#,
        ]
        for (index, page) in pages.enumerated() {
            add(.pages, "hand-page-\(index)", page)
            add(.json, "hand-page-\(index)", page)
        }

        let headers = [
            "10000000000000000", "9223372036854775807", "-1", " 120 ", "Fri, 31 Dec 999999999 23:59:59 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sat, 01 Jan 0000 00:00:00 GMT", "Mon, 32 Jan 2024 25:61:61 GMT", "0000-01-01T00:00:00Z",
            "99999-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999-01:00", "0001-01-01T00:00:00+23:59", "2024-02-30", "1970-01-01T00:00:60Z",
            "2022-12-13 07:08:39.051621Z", "90s",
            "free",
        ]
        for (index, header) in headers.enumerated() {
            add(.http, "hand-header-\(index)", header)
        }

        let exports = [
            "id,participantId,displayName,payloadType,payload,createdAt\nm1,p1,A,text,\"hi, \"\"you\"\"\nthere\",-99999999999999\nm2,p2,,text,x,999999999999999999\nm3,,,,,0000-01-01T00:00:00Z\n",
            "\u{FEFF}Timestamp,Participant ID,User ID,Custom Participant ID,Participant Name,Transcript\n99999-01-01T00:00:00Z,p1,u1,c1,N,\"line\r\nbreak\"\n-1000000000000,,,,,short\n",
            "Transcript\n\"unterminated\n",
            "id\n\n\n",
        ]
        for (index, file) in exports.enumerated() {
            add(.csv, "hand-export-\(index)", file)
        }
    }

    /// Every date-time the simulators wrote, and HTTP-dates of them, seed the `http` target.
    private mutating func addTimestampsFromAnswers() {
        var texts: Set<String> = []
        for entry in seeds[.pages] ?? [] where entry.name.hasPrefix("sim-") {
            guard let document = try? JSONDocument(bytes: entry.bytes) else { continue }
            Self.collectTimestamps(document.root, into: &texts)
        }
        for (index, text) in texts.sorted().prefix(24).enumerated() {
            add(.http, "sim-time-\(index)", text)
            if let time = Timestamp(iso8601: text) {
                add(.http, "sim-http-date-\(index)", formatHTTPDate(time))
            }
        }
    }

    private static func collectTimestamps(_ value: JSONValue, into texts: inout Set<String>) {
        switch value.kind {
        case .object: for (_, member) in value.members { collectTimestamps(member, into: &texts) }
        case .array: for element in value.elements { collectTimestamps(element, into: &texts) }
        case .string: if value.timestamp != nil, let text = value.string { texts.insert(text) }
        default: break
        }
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, written here rather than with the engine's formatter so
    /// that a seed does not depend on the code under test being right.
    private func formatHTTPDate(_ time: Timestamp) -> String {
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = time.civil
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(weekdays[c.weekday]), \(two(c.day)) \(months[c.month - 1]) \(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) GMT"
    }
}
