import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import Testing

/// A YourGPT simulator in this process and a config for a `sessionsync` subprocess that syncs it.
struct DaemonFixture: Sendable {
    static let key = "e2e-ygpt-key-77aa"
    let directory: String
    let simulator: YourGPTSimulator
    let server: SimulatorServer
    let configPath: String
    let databasePath: String

    /// A fixture for `body`, in a temporary folder: the server is shut down and the folder
    /// removed when `body` returns or throws.
    @discardableResult
    static func with<T>(sessions: Int = 120, every: String = "1h", _ body: (DaemonFixture) async throws -> T)
        async throws -> T
    {
        try await withTemporaryDirectory { directory in
            var options = YourGPTSimulator.Options()
            options.apiKey = Self.key
            options.sessions = sessions
            options.clock = .manual(Timestamp(iso8601: "2026-11-20T12:00:00Z")!)
            options.history = .seconds(2 * 86_400)
            let simulator = YourGPTSimulator(options: options)
            return try await withSimulatorServer(api: simulator) { server in
                let databasePath = directory + "/archive.sqlite"
                let configPath = try writeFile(
                    "config.json", Self.config(server: server.baseURL, database: databasePath, every: every),
                    in: directory)
                return try await body(
                    DaemonFixture(
                        directory: directory, simulator: simulator, server: server, configPath: configPath,
                        databasePath: databasePath)
                )
            }
        }
    }

    static func config(server: String, database: String, every: String, extraSource: String = "") -> String {
        #"""
        {"database": "\#(database)", "logLevel": "info", "sources": [
          {"name": "chat", "provider": "yourgpt", "baseURL": "\#(server)", "apiKey": {"env": "YG_KEY"}, "messages": true,
           "pageSize": 25, "since": "2026-11-01T00:00:00Z", "schedule": {"every": "\#(every)"}, "rateLimit": {"requests": 10000, "per": "1s"}}\#(extraSource)
        ]}
        """#
    }

    var environment: [String: String] {
        ["YG_KEY": Self.key]
    }

    func query(_ sql: String) throws -> [[String?]] {
        try queryArchive(at: databasePath, sql)
    }
}

@Suite("The binary as a process: kill -9, signals, sd_notify, exit statuses", .serialized)
struct ProcessTests {
    @Test(
        "kill -9 of `sessionsync sync` at any request, then a rerun: no duplicates, no gaps, integrity ok, the dead run interrupted",
        arguments: [3, 6, 14, 40, 90])
    func killNine(at request: Int) async throws {
        try await DaemonFixture.with { fixture in
            let victim = PIDSlot()
            fixture.server.hooks.add { _, number in
                // Killed before the request is answered: the pass dies between its commits.
                if number == request { kill(victim.wait(), SIGKILL) }
            }
            let first = try SessionSyncProcess(
                ["sync", "--config", fixture.configPath], environment: fixture.environment)
            victim.set(first.pid)
            _ = first.waitForExit()
            #expect(first.process.terminationReason == .uncaughtSignal)
            fixture.server.hooks.removeAll()

            let second = try SessionSyncProcess(
                ["sync", "--config", fixture.configPath], environment: fixture.environment)
            #expect(second.waitForExit() == 0, "\(second.text)")
            let uids = fixture.simulator.uidsNewestFirst
            #expect(
                try fixture.query("SELECT count(*), count(DISTINCT external_id) FROM sessions") == [
                    ["\(uids.count)", "\(uids.count)"]
                ])
            let expectedMessages = uids.reduce(0) { $0 + fixture.simulator.messageCount(of: $1) }
            #expect(
                try fixture.query("SELECT count(*), count(DISTINCT session_id || '/' || external_id) FROM messages")
                    == [["\(expectedMessages)", "\(expectedMessages)"]])
            #expect(try fixture.query("PRAGMA integrity_check") == [["ok"]])
            #expect(try fixture.query("PRAGMA foreign_key_check").isEmpty)
            #expect(try fixture.query("SELECT status FROM sync_runs ORDER BY id") == [["interrupted"], ["succeeded"]])
        }
    }

    @Test("SIGTERM stops `run` gracefully: READY=1 first, the pass in flight interrupted and recorded, exit 0")
    func sigterm() async throws {
        try await DaemonFixture.with { fixture in
            let socket = try NotifySocket(directory: fixture.directory)
            let (reachedPage3, signal) = AsyncStream<Void>.makeStream()
            fixture.server.hooks.add { request, _ in
                if request.json?.root["page"]?.int == 3 { signal.yield() }
            }
            fixture.server.faults.inject(
                FaultRule(pathContains: "getSessions", skip: 2, times: 1, fault: .slow(.seconds(300))))
            var environment = fixture.environment
            environment["NOTIFY_SOCKET"] = socket.path
            let daemon = try SessionSyncProcess(["run", "--config", fixture.configPath], environment: environment)
            let messages = socket.receive(until: "READY=1")
            #expect(messages.last?.contains("READY=1") == true, "\(daemon.text)")
            for await _ in reachedPage3 { break }
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0, "\(daemon.text)")
            #expect(socket.receive(until: "STOPPING=1").last?.contains("STOPPING=1") == true)
            #expect(try fixture.query("SELECT status FROM sync_runs") == [["interrupted"]])
            // Pages 1 and 2 were committed before the stop.
            #expect(try fixture.query("SELECT count(*) FROM sessions") == [["50"]])
            #expect(try fixture.query("PRAGMA integrity_check") == [["ok"]])
            #expect(daemon.text.contains("pass interrupted"))
        }
    }

    @Test("SIGHUP reloads a valid config and keeps the old one when the new one is invalid")
    func sighup() async throws {
        try await DaemonFixture.with(sessions: 30) { fixture in
            let socket = try NotifySocket(directory: fixture.directory)
            var environment = fixture.environment
            environment["NOTIFY_SOCKET"] = socket.path
            let daemon = try SessionSyncProcess(["run", "--config", fixture.configPath], environment: environment)
            #expect(socket.receive(until: "READY=1").last?.contains("READY=1") == true)
            #expect(daemon.waitFor("source=chat run=1: pass finished"), "\(daemon.text)")

            // A valid config with a second source: reloaded, and the new source runs.
            let second =
                #", {"name": "chat-two", "provider": "yourgpt", "baseURL": "\#(fixture.server.baseURL)", "apiKey": {"env": "YG_KEY"}, "schedule": {"every": "1h"}}"#
            try DaemonFixture.config(
                server: fixture.server.baseURL, database: fixture.databasePath, every: "1h", extraSource: second
            )
            .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            #expect(daemon.waitFor("config reloaded"), "\(daemon.text)")
            #expect(daemon.waitFor("source=chat-two run=2: pass finished"), "\(daemon.text)")

            // An invalid config: refused, the daemon keeps running on the old one.
            try #"{"database": "x.sqlite", "sources": [{"name": "broken"}]}"#.write(
                toFile: fixture.configPath, atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            #expect(daemon.waitFor("config reload refused; keeping the old config"), "\(daemon.text)")
            #expect(daemon.text.contains("sources[0].provider: missing (required)"))
            #expect(daemon.process.isRunning)
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
            #expect(
                try fixture.query(
                    "SELECT s.name, r.status FROM sync_runs r JOIN sources s ON s.id = r.source_id ORDER BY r.id") == [
                        ["chat", "succeeded"], ["chat-two", "succeeded"],
                    ])
        }
    }

    @Test("a source stuck on a slow answer delays no other source")
    func independentSources() async throws {
        try await DaemonFixture.with(sessions: 10) { fixture in
            // A second, independent API whose first answer takes five minutes.
            var options = YourGPTSimulator.Options()
            options.apiKey = DaemonFixture.key
            options.sessions = 5
            options.clock = .manual(Timestamp(iso8601: "2026-11-20T12:00:00Z")!)
            try await withSimulatorServer(api: YourGPTSimulator(options: options)) { slowServer in
                let (slowArrived, signal) = AsyncStream<Void>.makeStream()
                slowServer.hooks.add { _, _ in signal.yield() }
                slowServer.faults.inject(FaultRule(times: nil, fault: .slow(.seconds(300))))
                let slow =
                    #", {"name": "stuck", "provider": "yourgpt", "baseURL": "\#(slowServer.baseURL)", "apiKey": {"env": "YG_KEY"}, "timeout": "10m", "schedule": {"every": "1h"}}"#
                try DaemonFixture.config(
                    server: fixture.server.baseURL, database: fixture.databasePath, every: "1h", extraSource: slow
                )
                .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
                let daemon = try SessionSyncProcess(
                    ["run", "--config", fixture.configPath], environment: fixture.environment)
                for await _ in slowArrived { break }
                // While "stuck" waits for its answer, "chat" runs its whole pass.
                #expect(daemon.waitFor("source=chat run="), "\(daemon.text)")
                #expect(daemon.waitFor(": pass finished"), "\(daemon.text)")
                #expect(
                    try fixture.query(
                        "SELECT s.name, r.status FROM sync_runs r JOIN sources s ON s.id = r.source_id ORDER BY s.name")
                        == [["chat", "succeeded"], ["stuck", "running"]])
                daemon.signal(SIGTERM)
                #expect(daemon.waitForExit() == 0)
                #expect(
                    try fixture.query(
                        "SELECT status FROM sync_runs r JOIN sources s ON s.id = r.source_id WHERE s.name = 'stuck'")
                        == [["interrupted"]])
            }
        }
    }

    @Test("`sync` exits 1 when a source fails, after the other sources ran")
    func syncExitStatus() async throws {
        try await DaemonFixture.with(sessions: 10) { fixture in
            let bad =
                #", {"name": "wrong-key", "provider": "yourgpt", "baseURL": "\#(fixture.server.baseURL)", "apiKey": {"env": "WRONG"}}"#
            try DaemonFixture.config(
                server: fixture.server.baseURL, database: fixture.databasePath, every: "1h", extraSource: bad
            )
            .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            var environment = fixture.environment
            environment["WRONG"] = "not-the-key"
            let result = try runSessionSync(["sync", "--config", fixture.configPath], environment: environment)
            #expect(result.status == 1)
            #expect(result.stdout.contains("chat: succeeded"))
            #expect(
                result.stdout.contains("wrong-key: FAILED: yourgpt: POST /chatbot/v1/getSessions answered HTTP 401"))
            #expect(try fixture.query("SELECT count(*) FROM sessions") == [["10"]])
            let only = try runSessionSync(
                ["sync", "--config", fixture.configPath, "--source", "chat"], environment: environment)
            #expect(only.status == 0)
            let unknown = try runSessionSync(
                ["sync", "--config", fixture.configPath, "--source", "nope"], environment: environment)
            #expect(unknown.status == 78)
            #expect(!result.stdout.contains("not-the-key") && !result.stderr.contains("not-the-key"))
        }
    }
}

@Suite("check-config --probe")
struct ProbeTests {
    @Test("--probe makes one authenticated request per source; a refused key exits 78")
    func probe() async throws {
        try await DaemonFixture.with(sessions: 5) { fixture in
            let good = try runSessionSync(
                ["check-config", "--probe", "--config", fixture.configPath], environment: fixture.environment)
            #expect(good.status == 0, "\(good.stderr)")
            #expect(good.stdout.contains("probe chat: authenticated"))
            #expect(fixture.server.log.count == 1)
            #expect(
                !FileManager.default.fileExists(atPath: fixture.databasePath), "probing must not create the archive")

            let refused = try runSessionSync(
                ["check-config", "--probe", "--config", fixture.configPath], environment: ["YG_KEY": "wrong-key"])
            #expect(refused.status == 78)
            #expect(refused.stderr.contains("probe chat: POST /chatbot/v1/getSessions answered HTTP 401"))
            #expect(!refused.stderr.contains("wrong-key") && !refused.stdout.contains("wrong-key"))
        }
    }
}

/// A process id one thread publishes and another waits for.
final class PIDSlot: @unchecked Sendable {
    // @unchecked: `pid` is only touched under `condition`'s lock.
    private let condition = NSCondition()
    private var pid: Int32 = 0

    func set(_ value: Int32) {
        condition.lock()
        pid = value
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> Int32 {
        condition.lock()
        defer { condition.unlock() }
        while pid == 0 { condition.wait() }
        return pid
    }
}
