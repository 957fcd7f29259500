import Foundation
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import Testing

/// Four sources whose keys are canaries, all read with a trailing newline: two that sync, one
/// whose API quotes the key in a 404 of a details request, and two behind "gateways" that answer
/// 401 quoting the header they refused. No key may appear anywhere sessionsync writes.
struct CanaryFixture: Sendable {
    static let chatKey = "canary-chat-5e1f0b3a"
    static let activityKey = "canary-activity-2d8e41c7"
    static let refusedChatKey = "canary-refused-chat-77c3a9d2"
    static let refusedReplayKey = "canary-refused-replay-9b04c6e8"
    static let keys = [chatKey, activityKey, refusedChatKey, refusedReplayKey]

    let directory: String
    let servers: [String: SimulatorServer]
    let configPath: String
    let databasePath: String
    let environment: [String: String]

    /// A fixture for `body`, in a temporary folder: the servers are shut down and the folder
    /// removed when `body` returns or throws.
    @discardableResult
    static func with<T>(_ body: (CanaryFixture) async throws -> T) async throws -> T {
        var chat = YourGPTSimulator.Options()
        chat.apiKey = Self.chatKey
        chat.sessions = 20
        var activity = IsNotAISimulator.Options()
        activity.apiKey = Self.activityKey
        activity.sessions = 10
        var refusedChat = YourGPTSimulator.Options()
        refusedChat.apiKey = Self.refusedChatKey
        var refusedReplay = OpenReplaySimulator.Options()
        refusedReplay.apiKey = Self.refusedReplayKey
        let apis: [String: any SimulatedAPI] = [
            "chat": YourGPTSimulator(options: chat),
            "activity": IsNotAISimulator(options: activity),
            "refused-chat": YourGPTSimulator(options: refusedChat),
            "refused-replay": OpenReplaySimulator(options: refusedReplay),
        ]
        return try await withTemporaryDirectory { directory in
            try await withSimulatorServers(apis) { servers in
                try await body(
                    CanaryFixture(directory: directory, servers: servers, projectKey: refusedReplay.projectKey))
            }
        }
    }

    private init(directory: String, servers: [String: SimulatorServer], projectKey: String) throws {
        self.directory = directory
        self.servers = servers
        // The API quotes the bare key inside its own envelope (only the key's value gives it
        // away), a gateway quotes the whole header in plain text, and one details request is
        // answered 404 with the header in the text.
        servers["refused-chat"]!.faults.inject(
            FaultRule(
                times: nil,
                fault: .echoingHeader(
                    "api-key",
                    body: #"{"type": "RXERROR", "message": "the key {value} is not valid for this workspace"}"#,
                    contentType: "application/json"
                )
            )
        )
        servers["refused-replay"]!.faults.inject(
            FaultRule(
                times: nil, fault: .echoingHeader("Authorization", body: "gateway: refused Authorization: {value}\n"))
        )
        servers["activity"]!.faults.inject(
            FaultRule(
                pathContains: "/details",
                fault: .echoingHeader("Authorization", status: 404, body: "no such session for {value}"))
        )

        databasePath = directory + "/archive.sqlite"
        let activityKeyFile = try writeFile("activity.key", Self.activityKey + "\n", in: directory)
        let replayKeyFile = try writeFile("replay.key", Self.refusedReplayKey + "\n", in: directory)
        let fast = #""rateLimit": {"requests": 10000, "per": "1s"}, "retries": 0"#
        configPath = try writeFile(
            "config.json",
            #"""
            {"database": "\#(databasePath)", "logLevel": "debug", "sources": [
              {"name": "chat", "provider": "yourgpt", "baseURL": "\#(servers["chat"]!.baseURL)", "apiKey": {"env": "CHAT_KEY"}, \#(fast)},
              {"name": "activity", "provider": "isnotai", "baseURL": "\#(servers["activity"]!.baseURL)", "apiKey": {"file": "\#(activityKeyFile)"}, \#(fast)},
              {"name": "refused-chat", "provider": "yourgpt", "baseURL": "\#(servers["refused-chat"]!.baseURL)", "apiKey": {"env": "REFUSED_CHAT_KEY"}, \#(fast)},
              {"name": "refused-replay", "provider": "openreplay", "baseURL": "\#(servers["refused-replay"]!.baseURL)",
               "projectKey": "\#(projectKey)", "apiKey": {"file": "\#(replayKeyFile)"}, \#(fast)}
            ]}
            """#,
            in: directory
        )
        environment = ["CHAT_KEY": Self.chatKey + "\n", "REFUSED_CHAT_KEY": Self.refusedChatKey + "\r\n"]
    }

    /// Everything in the archive's files, the WAL included, as text to search.
    func archiveBytes() -> [UInt8] {
        ["", "-wal", "-shm"].flatMap { suffix in
            FileManager.default.contents(atPath: databasePath + suffix).map { Array($0) } ?? []
        }
    }
}

@Suite("Secret canaries: no key reaches a log line, a terminal or the archive", .serialized)
struct SecretCanaryTests {
    @Test(
        "keys read with a trailing newline work, and no key appears in sync, status, check-config --probe or the archive's bytes"
    )
    func canaries() async throws {
        try await CanaryFixture.with { fixture in
            let sync = try runSessionSync(["sync", "--config", fixture.configPath], environment: fixture.environment)
            // The keys went out trimmed, so the echoes below really carried them.
            #expect(fixture.servers["chat"]!.log.all.first?.request.header("api-key") == CanaryFixture.chatKey)
            #expect(
                fixture.servers["activity"]!.log.all.first?.request.header("Authorization")
                    == "Bearer \(CanaryFixture.activityKey)")
            #expect(
                fixture.servers["refused-chat"]!.log.all.first?.request.header("api-key")
                    == CanaryFixture.refusedChatKey)
            #expect(
                fixture.servers["refused-replay"]!.log.all.first?.request.header("Authorization")
                    == "Bearer \(CanaryFixture.refusedReplayKey)")

            #expect(sync.status == 1, "\(sync.stdout)\n\(sync.stderr)")
            #expect(sync.stdout.contains("chat: succeeded"), "\(sync.stdout)")
            #expect(sync.stdout.contains("activity: succeeded"), "\(sync.stdout)")
            #expect(sync.stdout.contains("refused-chat: FAILED: yourgpt: POST"), "\(sync.stdout)")
            #expect(
                sync.stdout.contains("RXERROR: the key [redacted] is not valid for this workspace"), "\(sync.stdout)")
            #expect(sync.stdout.contains("refused-replay: FAILED"), "\(sync.stdout)")
            #expect(sync.stdout.contains("gateway: refused Authorization: Bearer [redacted]"), "\(sync.stdout)")
            #expect(sync.stderr.contains("pass failed"), "\(sync.stderr)")

            let status = try runSessionSync(["status", "--config", fixture.configPath])
            let statusJSON = try runSessionSync(["status", "--json", "--config", fixture.configPath])
            #expect(status.status == 0 && statusJSON.status == 0, "\(status.stderr)\(statusJSON.stderr)")
            #expect(
                status.stdout.contains(
                    "waiting: GET /v1/sessions/{id}/details answered HTTP 404: no such session for Bearer [redacted]"),
                "\(status.stdout)")
            #expect(statusJSON.stdout.contains("[redacted]"))
            #expect((try? JSONDocument(bytes: Array(statusJSON.stdout.utf8))) != nil, "status --json is still JSON")

            let probe = try runSessionSync(
                ["check-config", "--probe", "--config", fixture.configPath], environment: fixture.environment)
            #expect(probe.status == 78, "\(probe.stdout)\n\(probe.stderr)")
            #expect(probe.stdout.contains("probe chat: authenticated"), "\(probe.stdout)")
            #expect(
                probe.stderr.contains("probe refused-chat:") && probe.stderr.contains("[redacted]"), "\(probe.stderr)")

            // Booleans, so that a failure does not print a megabyte of database bytes.
            let archive = fixture.archiveBytes()
            let archiveHoldsRedactedErrors = archive.contains(text: "[redacted]")
            #expect(archiveHoldsRedactedErrors)
            let outputs = [
                sync.stdout, sync.stderr, status.stdout, status.stderr, statusJSON.stdout, probe.stdout, probe.stderr,
            ]
            for key in CanaryFixture.keys {
                for (index, output) in outputs.enumerated() {
                    #expect(!output.contains(key), "output \(index) shows \(key):\n\(output)")
                }
                let archiveHoldsKey = archive.contains(text: key)
                #expect(!archiveHoldsKey, "the archive's files hold \(key)")
            }
        }
    }
}
