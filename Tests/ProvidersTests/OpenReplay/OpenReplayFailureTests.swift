import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Synchronization
import Testing

@Suite("OpenReplay: refused, failed and malformed answers, faults, and the key's secrecy")
struct OpenReplayFailureTests {
    typealias Fixture = OpenReplayFixture

    @Test(
        "a wrong key or an unknown project: 401 with an empty body fails the run with an explanation",
        arguments: ArchiveChoice.allCases)
    func publicUnauthorized(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 5)
        for (key, project) in [("not-the-key", Fixture.projectKey), (Fixture.key, "someOtherProject")] {
            try await Fixture.withHarness(simulator, key: key, projectKey: project, archive: archive) { harness in
                let outcome = await harness.pass()
                let message = try #require(Fixture.failure(outcome.result))
                #expect(message.hasPrefix("openreplay: POST /public/:projectKey/assist/sessions answered HTTP 401"))
                #expect(message.contains(#"not of the form "Authorization: Bearer <key>""#))
                #expect(message.contains("project key that does not exist"))
                #expect(try await harness.count("SELECT count(*) FROM sessions") == 0)
                #expect(try await harness.text("SELECT error FROM sync_runs ORDER BY id DESC LIMIT 1") == message)
            }
        }
    }

    @Test("legacy style: a wrong key fails with the API's detail", arguments: ArchiveChoice.allCases)
    func legacyUnauthorized(archive: ArchiveChoice) async throws {
        try await Fixture.withHarness(
            Fixture.simulator(sessions: 5), style: "legacy", key: "not-the-key", archive: archive
        ) { harness in
            let message = try #require(Fixture.failure(await harness.pass().result))
            #expect(message.contains("POST /api/v1/:projectKey/assist/sessions answered HTTP 401: Invalid API Key"))
        }
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let style: String
        let fault: Fault?
        let filters: String
        let expected: String
        var testDescription: String { "\(style): \(expected)" }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(style: "public", fault: .status(401), filters: "", expected: "HTTP 401: no details"),
        ErrorCase(
            style: "public", fault: .status(400, body: #"{"error":"invalid JSON body"}"#), filters: "",
            expected: "HTTP 400: invalid JSON body"),
        ErrorCase(
            style: "public", fault: .status(404, body: #"{"error":"project not found"}"#), filters: "",
            expected: "HTTP 404: project not found"),
        ErrorCase(
            style: "public", fault: .status(500, body: #"{"error":"failed to search assist sessions"}"#), filters: "",
            expected: "HTTP 500: failed to search assist sessions"),
        ErrorCase(
            style: "public", fault: .malformedBody, filters: "", expected: "sent a response that could not be read"),
        ErrorCase(
            style: "public", fault: .status(200, body: #"{"data":{"total":3,"sessions":{}}}"#), filters: "",
            expected: "data.sessions: expected an array or null, found an object"),
        ErrorCase(
            style: "public", fault: .status(200, body: #"{"sessions":[]}"#), filters: "",
            expected: #"missing member "data""#),
        ErrorCase(
            style: "legacy", fault: .status(404, body: #"{"detail":"Not Found"}"#), filters: "",
            expected: "HTTP 404: Not Found"),
        ErrorCase(
            style: "legacy",
            fault: .status(
                422,
                body:
                    #"{"detail":[{"loc":["body","limit"],"msg":"ensure this value is less than or equal to 200","type":"value_error.number.not_le"}]}"#
            ), filters: "", expected: "HTTP 422: body.limit: ensure this value is less than or equal to 200"),
        ErrorCase(
            style: "legacy", fault: nil, filters: #", "filters": [{"name": "favouriteColour", "value": ["red"]}]"#,
            expected: "HTTP 422: body.filters.0.type: value is not a valid enumeration member"),
    ]

    @Test(
        "error answers fail the run with the API's message, and archived rows stay as they were", arguments: errorCases,
        ArchiveChoice.allCases)
    func errorAnswers(_ errorCase: ErrorCase, archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 14)
        try await Fixture.withHarness(simulator, style: errorCase.style, extra: errorCase.filters, archive: archive) {
            harness in
            if errorCase.filters.isEmpty {
                #expect(await harness.pass().result == .succeeded)
            }
            let digest = try await harness.archiveDigest()
            // Something changed upstream, so a pass that wrote anything would show.
            simulator.endSession(simulator.liveSessions[0].sessionID)
            simulator.updateSession(simulator.liveSessions[1].sessionID) { $0.pageTitle = "changed" }
            simulator.startSession()
            if let fault = errorCase.fault {
                harness.server.faults.inject(
                    FaultRule(method: "POST", pathContains: "/assist/sessions", times: nil, fault: fault))
            }
            let outcome = await harness.pass()
            let message = try #require(Fixture.failure(outcome.result))
            #expect(message.contains(errorCase.expected), "\(message)")
            #expect(try await harness.archiveDigest() == digest)
            #expect(try await harness.text("SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1") == "failed")
        }
    }

    @Test(
        "a row without a usable sessionID is quarantined, drifted fields are NULL, the rest is archived, and nobody is ended on that listing",
        arguments: ArchiveChoice.allCases)
    func quarantineAndDrift(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 3)
        try await Fixture.withHarness(simulator, archive: archive) { harness throws in
            #expect(await harness.pass().result == .succeeded)
            let body =
                #"{"data":{"total":3,"sessions":[{"pageTitle":"no id"},{"sessionID":"s-1","userCountry":{"code":"US"},"timestamp":-99999999999999999,"userOs":"Linux"},{"sessionID":"s-2","userCountry":"FR"}]}}"#
            harness.server.faults.inject(
                FaultRule(pathContains: "/assist/sessions", times: 1, fault: .status(200, body: body)))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(
                outcome.progress.warnings.contains {
                    $0.hasPrefix("schema drift: 2 value(s) in 2 field(s) stored as NULL")
                })
            #expect(outcome.progress.warnings.contains { $0.hasPrefix("quarantine: 1 record(s)") })
            #expect(outcome.progress.warnings.contains { $0.contains("no usable sessionID") })
            #expect(
                try await harness.rows("SELECT country, started_at, os FROM sessions WHERE external_id = 's-1'")
                    == [[nil, nil, "Linux"]])
            #expect(try await harness.text("SELECT country FROM sessions WHERE external_id = 's-2'") == "FR")
            #expect(
                try await harness.text(
                    "SELECT expected || ' | ' || found_sample FROM schema_drift WHERE json_path = 'data.sessions[].userCountry'"
                ) == "a string or a whole number | an object")
            #expect(
                try await harness.text(
                    "SELECT expected || ' | ' || found_sample FROM schema_drift WHERE json_path = 'data.sessions[].timestamp'"
                )
                    == "epoch milliseconds within the years 0001 to 9999 | a number: -99999999999999999"
            )
            #expect(try await harness.count("SELECT count(*) FROM schema_drift") == 2)
            #expect(
                try await harness.text("SELECT reason FROM quarantine")
                    == #"data.sessions[0]: missing member "sessionID""#)
            #expect(
                try await harness.text("SELECT raw FROM quarantine") == harness.storedJSON(#"{"pageTitle":"no id"}"#))
            // The three sessions of the first pass are missing from this listing, but it had a row it could not read.
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE status = 'ended'") == 0)
            // The same answer again counts, it does not repeat.
            harness.server.faults.inject(
                FaultRule(pathContains: "/assist/sessions", times: 1, fault: .status(200, body: body)))
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM quarantine") == 1)
            #expect(try await harness.count("SELECT count FROM quarantine") == 2)
            #expect(try await harness.count("SELECT sum(count) FROM schema_drift") == 4)
        }
    }

    @Test(
        "429 with Retry-After, 503, a dropped connection and a truncated body are retried and the listing completes",
        arguments: ArchiveChoice.allCases)
    func retriedFaults(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 23)
        try await Fixture.withHarness(simulator, archive: archive) { harness throws in
            harness.server.faults.inject(
                FaultRule(pathContains: "/assist/sessions", times: 1, fault: .tooManyRequests(retryAfter: "7")))
            // Rules fire in order, one request each: the first page is answered on the fifth attempt.
            harness.server.faults.inject(
                FaultRule(
                    pathContains: "/assist/sessions", times: 1,
                    fault: .status(503, body: "Service Unavailable", contentType: "text/plain")))
            harness.server.faults.inject(FaultRule(pathContains: "/assist/sessions", times: 1, fault: .dropConnection))
            harness.server.faults.inject(FaultRule(pathContains: "/assist/sessions", times: 1, fault: .truncatedBody))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live'") == 23)
            #expect(harness.sleeps.withLock { $0 }.contains(.seconds(7)))
            #expect(harness.server.log.matching("/assist/sessions").filter(\.faulted).count == 4)
            #expect(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'listing'")
                    == #"{"sessions":23,"awaitingConfirmation":false}"#)
        }
    }

    @Test(
        "the API key never reaches the logs or the database file, in either style, after success or failure",
        arguments: ["public", "legacy"], ArchiveChoice.allCases)
    func secrecy(_ style: String, archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 20)
        try await Fixture.withHarness(simulator, style: style, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            simulator.answerDataNull(times: 1)
            #expect(await harness.pass().failed)
            harness.server.faults.inject(FaultRule(pathContains: "/assist/sessions", times: 1, fault: .status(401)))
            #expect(await harness.pass().failed)
            #expect(
                harness.server.log.matching("/assist/sessions").allSatisfy {
                    $0.request.header("Authorization")?.contains(Fixture.key) == true
                })
            #expect(!harness.logs.text.isEmpty)
            #expect(!harness.logs.text.contains(Fixture.key))
            #expect(try await !harness.archiveContains(text: Fixture.key))
            let errors = try await harness.rows("SELECT error FROM sync_runs WHERE error IS NOT NULL").compactMap {
                $0[0]
            }
            #expect(errors.count == 2)
            #expect(!errors.contains { $0.contains(Fixture.key) })
        }
    }
}
