import Foundation
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import Testing

@Suite("OpenReplay simulator: the real server's auth, filter semantics and paging")
struct OpenReplaySimulatorTests {
    typealias Fixture = OpenReplayFixture
    static let publicPath = "/public/\(OpenReplayFixture.projectKey)/assist/sessions"
    static let legacyPath = "/api/v1/\(OpenReplayFixture.projectKey)/assist/sessions"

    private func search(
        _ simulator: OpenReplaySimulator, path: String = publicPath,
        authorization: String? = "Bearer \(OpenReplayFixture.key)",
        method: String = "POST", body: String = #"{"order":"desc","page":1,"limit":100,"filters":[]}"#
    ) -> SimulatedResponse {
        let headers = authorization.map { [("Authorization", $0)] } ?? []
        return simulator.respond(
            to: SimulatedRequest(method: method, uri: path, headers: headers, body: Array(body.utf8)))
    }

    private func ids(_ response: SimulatedResponse) throws -> [String] {
        let document = try JSONDocument(bytes: response.body)
        return try #require(document.root["data"]?["sessions"]).elements.compactMap { $0["sessionID"]?.string }
    }

    private func filtered(_ simulator: OpenReplaySimulator, _ filters: String) throws -> Set<String> {
        let response = search(simulator, body: #"{"page":1,"limit":1000,"filters":\#(filters)}"#)
        #expect(response.status == 200)
        return Set(try ids(response))
    }

    @Test("v2 refuses every wrong form of authorization and an unknown project with 401 and an empty body")
    func publicAuthorization() {
        let simulator = Fixture.simulator(sessions: 3)
        #expect(search(simulator).status == 200)
        for authorization in [nil, Fixture.key, "bearer \(Fixture.key)", "Bearer wrong", "Bearer  \(Fixture.key)"]
            as [String?]
        {
            let response = search(simulator, authorization: authorization)
            #expect(response.status == 401, "\(authorization ?? "no header")")
            #expect(response.body.isEmpty)
        }
        let unknown = search(simulator, path: "/public/otherProject/assist/sessions")
        #expect(unknown.status == 401 && unknown.body.isEmpty)
        let legacyForm = search(simulator, path: Self.legacyPath)
        #expect(legacyForm.status == 401)
        #expect(String(decoding: legacyForm.body, as: UTF8.self) == #"{"detail":"Invalid API Key"}"#)
        #expect(search(simulator, path: Self.legacyPath, authorization: Fixture.key).status == 200)
    }

    @Test(
        "v2 filters: is is exact and case-sensitive, anything else contains; values OR, filters AND; empty values match nothing"
    )
    func publicFilterSemantics() throws {
        let simulator = Fixture.simulator(sessions: 0)
        let a = simulator.startSession {
            $0.userID = "Dev@OpenReplay.com"
            $0.metadata = ["plan": "trial"]
            $0.userOs = "Mac OS"
        }
        let b = simulator.startSession {
            $0.userID = "dev@openreplay.com"
            $0.metadata = ["plan": "Trial"]
            $0.userOs = "Windows"
        }
        let c = simulator.startSession {
            $0.userID = ""
            $0.metadata = ["plan": "free", "METADATA": "x"]
            $0.userOs = "Mac OS"
        }

        #expect(try filtered(simulator, #"[{"name":"userId","operator":"is","value":["dev@openreplay.com"]}]"#) == [b])
        #expect(
            try filtered(simulator, #"[{"name":"userId","operator":"contains","value":["OPENREPLAY"]}]"#) == [a, b])
        #expect(try filtered(simulator, #"[{"name":"userId","value":["openreplay"]}]"#) == [a, b])
        #expect(
            try filtered(
                simulator, #"[{"name":"metadata_plan","source":"plan","operator":"is","value":["trial","free"]}]"#) == [
                    a, c,
                ])
        #expect(try filtered(simulator, #"[{"name":"plan","operator":"is","value":["trial"]}]"#) == [a])
        // The documented METADATA form looks up a metadata key literally named "METADATA".
        #expect(
            try filtered(simulator, #"[{"name":"METADATA","source":"plan","operator":"is","value":["trial"]}]"#) == [])
        #expect(
            try filtered(
                simulator,
                #"[{"name":"metadata_plan","source":"plan","value":["TRIAL"]},{"name":"userOs","operator":"is","value":["Mac OS"]}]"#
            ) == [a])
        #expect(try filtered(simulator, #"[{"name":"userId","value":[]}]"#) == [])
        #expect(try filtered(simulator, #"[{"name":"active","operator":"is","value":["true","false"]}]"#) == [a, b, c])
        #expect(search(simulator, body: #"{"filters":[{"value":["x"]}]}"#).status == 500)
    }

    @Test(
        "legacy filters: type is case-insensitive, matching is contains, empty value lists are dropped, unknown types are refused"
    )
    func legacyFilterSemantics() throws {
        let simulator = Fixture.simulator(sessions: 0)
        let a = simulator.startSession {
            $0.userID = "Dev@OpenReplay.com"
            $0.metadata = ["plan": "Trial"]
        }
        let b = simulator.startSession {
            $0.userID = "ada@example.com"
            $0.metadata = ["plan": "free"]
        }
        func legacy(_ filters: String) throws -> Set<String> {
            let response = search(
                simulator, path: Self.legacyPath, authorization: Fixture.key,
                body: #"{"limit":200,"filters":\#(filters)}"#)
            #expect(response.status == 200)
            return Set(try ids(response))
        }
        #expect(try legacy(#"[{"type":"userid","value":["openreplay"]}]"#) == [a])
        #expect(try legacy(#"[{"type":"METADATA","source":"plan","value":["trial","fre"]}]"#) == [a, b])
        #expect(try legacy(#"[{"type":"USERID","value":[]}]"#) == [a, b])
        let refused = search(
            simulator, path: Self.legacyPath, authorization: Fixture.key,
            body: #"{"filters":[{"type":"colour","value":["x"]}]}"#)
        #expect(refused.status == 422)
        let detail = try #require(try JSONDocument(bytes: refused.body).root["detail"])
        #expect(Array(detail.elements).first?["loc"]?.rawText == #"["body","filters",0,"type"]"#)
        #expect(
            search(simulator, path: Self.legacyPath, authorization: Fixture.key, body: #"{"limit":500}"#).status == 422)
    }

    @Test(
        "paging: total counts every match, pages are newest first, zero page and limit take the defaults, GET gives at most 10"
    )
    func paging() throws {
        let simulator = Fixture.simulator(sessions: 25)
        let all = simulator.liveSessions.map(\.sessionID)
        let second = search(simulator, body: #"{"page":2,"limit":10}"#)
        #expect(try JSONDocument(bytes: second.body).root["data"]?["total"]?.int == 25)
        #expect(try ids(second) == Array(all[10..<20]))
        #expect(try ids(search(simulator, body: #"{"page":3,"limit":10}"#)) == Array(all[20..<25]))
        #expect(try ids(search(simulator, body: #"{}"#)) == Array(all[0..<10]))
        #expect(try ids(search(simulator, body: #"{"page":-1,"limit":50}"#)) == Array(all[0..<10]))
        #expect(try ids(search(simulator, body: #"{"limit":100,"order":"asc"}"#)) == all.reversed())
        #expect(try ids(search(simulator, method: "GET", body: "")).count == 10)
        #expect(search(simulator, body: "not json").status == 400)
    }

    @Test("the silent failures answer HTTP 200 for exactly the requests they were asked for")
    func silentFailures() throws {
        let simulator = Fixture.simulator(sessions: 4)
        simulator.answerDataNull(times: 1)
        #expect(String(decoding: search(simulator).body, as: UTF8.self) == #"{"data":null}"#)
        simulator.answerEmpty(times: 2)
        #expect(try ids(search(simulator)).isEmpty)
        #expect(try ids(search(simulator)).isEmpty)
        #expect(try ids(search(simulator)).count == 4)
    }

    @Test("with activity and a clock that moves, sessions start, end and change")
    func activity() {
        var options = OpenReplaySimulator.Options()
        options.clock = .manual(Fixture.start)
        options.activityEvery = .seconds(1)
        options.sessions = 10
        let simulator = OpenReplaySimulator(options: options)
        let before = simulator.liveSessions
        _ = simulator.respond(
            to: SimulatedRequest(
                method: "POST", uri: Self.publicPath, headers: [("Authorization", "Bearer \(options.apiKey)")],
                body: Array("{}".utf8)))
        #expect(simulator.liveSessions == before)
        options.clock.advance(by: .seconds(60))
        _ = simulator.respond(
            to: SimulatedRequest(
                method: "POST", uri: Self.publicPath, headers: [("Authorization", "Bearer \(options.apiKey)")],
                body: Array("{}".utf8)))
        #expect(simulator.liveSessions != before)
    }
}
