import Foundation
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

/// Adds `"metrics": {"listen": listen}` to the config at `path` and makes it log at info level
/// (the tests wait for "pass finished" lines).
private func enableMetrics(_ path: String, listen: String?) throws {
    var text = try String(contentsOfFile: path, encoding: .utf8)
    text = text.replacingOccurrences(of: #""logLevel": "notice""#, with: #""logLevel": "info""#)
    if let listen {
        text = text.replacingOccurrences(
            of: #"{"database": "#, with: #"{"metrics": {"listen": "\#(listen)"}, "database": "#)
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// The exposition at `port` once it counts `passes` finished passes; nil when it does not within
/// the limit.
private func scrapeAfter(passes: Double, port: Int, host: String = "127.0.0.1") async -> Exposition? {
    await poll {
        guard let answer = httpRequest(host: host, port: port, path: "/metrics"), answer.status == 200 else {
            return nil
        }
        let exposition = Exposition(answer.body)
        return exposition.sum("sessionsync_passes_total") >= passes ? exposition : nil
    }
}

/// The JSON of `/healthz` at `port`, once its status is `status`; nil when it is not within the limit.
private func health(_ status: Int, port: Int, saying fragment: String = "") async -> [String: Any]? {
    await poll {
        guard let answer = httpRequest(port: port, path: "/healthz"), answer.status == status,
            fragment.isEmpty || answer.body.contains(fragment)
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any]
    }
}

/// `sessionsync run` over the four simulated sources with metrics on a free loopback port, for
/// `body` once every source finished its first pass; stopped (SIGTERM, exit 0) after it.
private func withScrapedDaemon(
    _ body: (FourSourceFixture, SessionSyncProcess, Int, Exposition) async throws -> Void
) async throws {
    try await FourSourceFixture.with { fixture in
        let port = try HeldPort.free()
        try enableMetrics(fixture.configPath, listen: "127.0.0.1:\(port)")
        let daemon = try SessionSyncProcess(
            ["run", "--config", fixture.configPath], environment: FourSourceFixture.keys)
        defer { daemon.killIfRunning() }
        #expect(daemon.waitFor(": pass finished", occurrences: 4), "\(daemon.text)")
        // A pass is counted just after its "pass finished" line: poll until all four are.
        let exposition = try #require(await scrapeAfter(passes: 4, port: port), "\(daemon.text)")
        try await body(fixture, daemon, port, exposition)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(limit: 60) == 0, "\(daemon.text)")
    }
}

@Suite("/metrics and /healthz of `sessionsync run`", .serialized)
struct MetricsEndpointTests {
    /// Series a first pass of the four sources brings about. Retries, rate-limit waits, drift and
    /// quarantine appear only when they happen.
    static let seriesAfterAPass: [MetricName] = MetricName.allCases.filter {
        ![.httpRetries, .rateLimitWait, .schemaDrift, .quarantined].contains($0)
    }

    @Test("after a pass, /metrics agrees with sync_runs and the simulators' request logs; every series has its HELP")
    func scrapeMatchesTheLedger() async throws {
        try await withScrapedDaemon { fixture, daemon, port, exposition in
            for name in Self.seriesAfterAPass {
                let family = name.rawValue
                #expect(exposition.help[family] == name.help, "\(family): HELP \(exposition.help[family] ?? "missing")")
                #expect(
                    exposition.samples.contains { $0.name == family || $0.name.hasPrefix(family + "_") },
                    "\(family) has no sample")
            }
            #expect(exposition.types["sessionsync_passes_total"] == "counter")
            #expect(exposition.types["sessionsync_pass_duration_seconds"] == "histogram")
            #expect(exposition.types["sessionsync_queue_items"] == "gauge")

            let runs = try fixture.query(
                """
                SELECT s.name, s.provider, r.status, r.requests, r.sessions_upserted, r.rows_written, r.finished_at
                FROM sync_runs r JOIN sources s ON s.id = r.source_id ORDER BY s.name
                """)
            #expect(runs.count == 4)
            for run in runs {
                let (name, provider) = (run[0] ?? "", run[1] ?? "")
                let labels = ["source": name, "provider": provider]
                #expect(run[2] == "succeeded", "\(run)")
                #expect(exposition.sum("sessionsync_passes_total", labels.merging(["status": "succeeded"]) { $1 }) == 1)
                #expect(exposition.sum("sessionsync_passes_total", labels) == 1)
                #expect(exposition.sum("sessionsync_pass_duration_seconds_count", labels) == 1)

                // Requests: the ledger's count, the metrics' and what the simulators received agree,
                // code by code.
                let simulated = try #require(FourSourceFixture.Provider(rawValue: name))
                var received = fixture.server(simulated).log.all
                if simulated == .realtimekit { received += fixture.exportServer.log.all }
                #expect(exposition.sum("sessionsync_http_requests_total", labels) == Double(run[3] ?? ""), "\(name)")
                #expect(Int(run[3] ?? "") == received.count, "\(name): the simulator received \(received.count)")
                for code in Set(received.map(\.status)) {
                    #expect(
                        exposition.sum("sessionsync_http_requests_total", labels.merging(["code": "\(code)"]) { $1 })
                            == Double(received.filter { $0.status == code }.count), "\(name): HTTP \(code)")
                }

                #expect(exposition.sum("sessionsync_sessions_written_total", labels) == Double(run[4] ?? ""), "\(name)")
                #expect(exposition.sum("sessionsync_rows_written_total", labels) == Double(run[5] ?? ""), "\(name)")
                #expect(exposition.sum("sessionsync_commit_duration_seconds_count", labels) >= 1, "\(name)")

                let finished = try #require(run[6].flatMap(Timestamp.init(iso8601:)))
                let seconds = Double(finished.millisecondsSinceEpoch) / 1000
                for gauge in ["sessionsync_last_success_timestamp_seconds", "sessionsync_last_pass_timestamp_seconds"] {
                    #expect(abs(exposition.sum(gauge, labels) - seconds) < 0.002, "\(gauge) of \(name)")
                }
                #expect(exposition.sum("sessionsync_source_healthy", labels) == 1, "\(name)")

                let queued = try fixture.query(
                    "SELECT count(*) FROM fetch_queue q JOIN sources s ON s.id = q.source_id WHERE s.name = '\(name)'")
                #expect(exposition.sum("sessionsync_queue_items", labels) == Double(queued[0][0] ?? ""), "\(name)")
            }
            let sessions = try fixture.query("SELECT count(*) FROM sessions")[0][0] ?? ""
            #expect(exposition.sum("sessionsync_sessions_written_total") == Double(sessions))
            #expect(exposition.sum("sessionsync_archive_bytes", ["file": "db"]) > 0)
            #expect(exposition.sum("sessionsync_wal_checkpoint_failures_total") == 0)
            #expect(exposition.sum("process_resident_memory_bytes") > 1_000_000)
            #expect(exposition.sum("process_open_fds") > 3)

            let healthz = try #require(httpRequest(port: port, path: "/healthz"))
            #expect(healthz.status == 200, "\(healthz.body)")
            #expect(healthz.headers["content-type"] == "application/json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(healthz.body.utf8)) as? [String: Any])
            #expect(json["status"] as? String == "ok")
            let verdicts = try #require(json["sources"] as? [[String: Any]])
            #expect(Set(verdicts.compactMap { $0["name"] as? String }) == Set(runs.compactMap { $0[0] }))
            #expect(verdicts.allSatisfy { $0["healthy"] as? Bool == true })

            let metrics = try #require(httpRequest(port: port, path: "/metrics?x=1"))
            #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(httpRequest(port: port, path: "/nope")?.status == 404)
            let post = try #require(httpRequest("POST", port: port, path: "/metrics"))
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET")

            // No configured key in what the endpoint serves.
            for key in FourSourceFixture.keys.values {
                #expect(!metrics.body.contains(key) && !healthz.body.contains(key))
            }
        }
    }

    @Test(
        "the exposition passes Prometheus' own parser (promtool check metrics)",
        .enabled(
            if: Promtool.path != nil || Promtool.required,
            "promtool is not installed (apt-get install prometheus); CI (CI=true) requires it"))
    func promtoolAcceptsTheExposition() async throws {
        let promtool = try #require(Promtool.path, "promtool is missing: .ci/install-deps installs Debian's prometheus")
        try await withScrapedDaemon { _, _, _, exposition in
            let (status, output) = try Promtool.checkMetrics(exposition.text)
            #expect(status == 0, "\(promtool) check metrics: \(output)\n\(exposition.text)")
            #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(output)")
        }
    }

    @Test("/healthz turns 503 naming the source while its key is refused, and 200 after a reload with a good key")
    func healthFollowsTheKey() async throws {
        try await DaemonFixture.with(sessions: 10) { fixture in
            let wrongKey = "wrong-key-5d1c2b"
            let keyFile = try writeFile("chat.key", wrongKey + "\n", in: fixture.directory)
            let port = try HeldPort.free()
            let config = DaemonFixture.config(
                server: fixture.server.baseURL, database: fixture.databasePath, every: "1s"
            )
            .replacingOccurrences(of: #"{"env": "YG_KEY"}"#, with: #"{"file": "\#(keyFile)"}"#)
            .replacingOccurrences(
                of: #"{"database": "#, with: #"{"metrics": {"listen": "127.0.0.1:\#(port)"}, "database": "#)
            try config.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            let daemon = try SessionSyncProcess(["run", "--config", fixture.configPath])
            defer { daemon.killIfRunning() }

            // Three 1s intervals without a successful pass since the daemon started: unhealthy. The
            // verdict names the last pass's error once one has failed (while a pass runs, it says so).
            let failing = try #require(await health(503, port: port, saying: "HTTP 401"), "\(daemon.text)")
            #expect(failing["status"] as? String == "unhealthy")
            #expect(failing["unhealthy"] as? [String] == ["chat"])
            let verdict = try #require((failing["sources"] as? [[String: Any]])?.first)
            #expect(verdict["healthy"] as? Bool == false)
            let reason = verdict["reason"] as? String ?? ""
            #expect(reason.contains("no successful pass yet") && reason.contains("HTTP 401"), "\(reason)")
            let failingMetrics = try #require(httpRequest(port: port, path: "/metrics"))
            let exposition = Exposition(failingMetrics.body)
            #expect(exposition.sum("sessionsync_source_healthy", ["source": "chat"]) == 0)
            #expect(exposition.sum("sessionsync_passes_total", ["source": "chat", "status": "failed"]) >= 1)
            #expect(exposition.sum("sessionsync_http_requests_total", ["source": "chat", "code": "401"]) >= 1)

            // `status` judges the same way, from when the archive first knew the source: a moment
            // after the daemon started, so it may take that moment longer to say so.
            let unhealthyStatus = await poll {
                let output = (try? runSessionSync(["status", "--config", fixture.configPath]))?.stdout ?? ""
                return output.contains("  health:     UNHEALTHY: no successful pass yet") ? output : nil
            }
            #expect(unhealthyStatus != nil, "status never judged the source unhealthy")

            try (DaemonFixture.key + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            #expect(daemon.waitFor("config reloaded"), "\(daemon.text)")
            let healthy = try #require(await health(200, port: port), "\(daemon.text)")
            #expect(healthy["status"] as? String == "ok")
            #expect(healthy["unhealthy"] as? [String] == [])
            let healthyStatus = try runSessionSync(["status", "--config", fixture.configPath, "--json"])
            let statusJSON = try JSONSerialization.jsonObject(with: Data(healthyStatus.stdout.utf8)) as? [String: Any]
            let statusHealth = (statusJSON?["sources"] as? [[String: Any]])?.first?["health"] as? [String: Any]
            #expect(statusHealth?["healthy"] as? Bool == true, "\(healthyStatus.stdout)")
            let body = httpRequest(port: port, path: "/healthz")?.body ?? ""
            let metrics = httpRequest(port: port, path: "/metrics")?.body ?? ""
            #expect(Exposition(metrics).sum("sessionsync_source_healthy", ["source": "chat"]) == 1)
            for key in [wrongKey, DaemonFixture.key] {
                #expect(!body.contains(key) && !metrics.contains(key) && !failingMetrics.body.contains(key))
                #expect(!reason.contains(key) && !daemon.text.contains(key))
            }
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit(limit: 60) == 0, "\(daemon.text)")
        }
    }

    @Test("a metrics port already taken is a config problem: exit 78 at start, before any pass")
    func bindFailureAtStart() async throws {
        try await DaemonFixture.with(sessions: 5) { fixture in
            let taken = try HeldPort()
            try enableMetrics(fixture.configPath, listen: "127.0.0.1:\(taken.port)")
            let daemon = try SessionSyncProcess(
                ["run", "--config", fixture.configPath], environment: fixture.environment)
            defer { daemon.killIfRunning() }
            #expect(daemon.waitForExit(limit: 60) == 78, "\(daemon.text)")
            #expect(
                daemon.text.contains(
                    "invalid config \(fixture.configPath): metrics.listen: cannot listen on 127.0.0.1:\(taken.port): Address already in use"
                ), "\(daemon.text)")
            #expect(try fixture.query("SELECT count(*) FROM sync_runs") == [["0"]])
            #expect(fixture.server.log.count == 0)
            taken.close()
        }
    }

    @Test("a reload moves the listener, keeps the old one when the new port is taken, and stops it when the key goes")
    func reloadRebinds() async throws {
        try await DaemonFixture.with(sessions: 5) { fixture in
            let first = try HeldPort.free()
            try enableMetrics(fixture.configPath, listen: "127.0.0.1:\(first)")
            let daemon = try SessionSyncProcess(
                ["run", "--config", fixture.configPath], environment: fixture.environment)
            defer { daemon.killIfRunning() }
            #expect(daemon.waitFor("source=chat run=1: pass finished"), "\(daemon.text)")
            #expect(await scrapeAfter(passes: 1, port: first) != nil, "\(daemon.text)")

            // A port someone else holds: the reload is refused and the old listener serves on.
            let taken = try HeldPort()
            try DaemonFixture.config(server: fixture.server.baseURL, database: fixture.databasePath, every: "1h")
                .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            try enableMetrics(fixture.configPath, listen: "127.0.0.1:\(taken.port)")
            daemon.signal(SIGHUP)
            #expect(daemon.waitFor("config reload failed; keeping the old config"), "\(daemon.text)")
            #expect(daemon.text.contains("cannot listen on 127.0.0.1:\(taken.port): Address already in use"))
            #expect(httpRequest(port: first, path: "/metrics")?.status == 200)
            taken.close()

            // A free port: the listener moves; the old port answers no more.
            let second = try HeldPort.free()
            try DaemonFixture.config(server: fixture.server.baseURL, database: fixture.databasePath, every: "1h")
                .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            try enableMetrics(fixture.configPath, listen: "127.0.0.1:\(second)")
            daemon.signal(SIGHUP)
            #expect(daemon.waitFor("config reloaded"), "\(daemon.text)")
            #expect(daemon.text.contains("metrics.url=http://127.0.0.1:\(second)/metrics"))
            #expect(await scrapeAfter(passes: 1, port: second) != nil, "\(daemon.text)")
            #expect(httpRequest(port: first, path: "/metrics") == nil)

            // IPv6 loopback.
            let third = try HeldPort.free()
            try DaemonFixture.config(server: fixture.server.baseURL, database: fixture.databasePath, every: "1h")
                .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            try enableMetrics(fixture.configPath, listen: "[::1]:\(third)")
            daemon.signal(SIGHUP)
            #expect(daemon.waitFor("config reloaded", occurrences: 2), "\(daemon.text)")
            #expect(daemon.text.contains("metrics.url=http://[::1]:\(third)/metrics"))
            #expect(httpRequest(host: "::1", port: third, path: "/healthz")?.status == 200, "\(daemon.text)")
            #expect(httpRequest(port: second, path: "/metrics") == nil)

            // No metrics key: nothing listens.
            try DaemonFixture.config(server: fixture.server.baseURL, database: fixture.databasePath, every: "1h")
                .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            #expect(daemon.waitFor("metrics no longer served"), "\(daemon.text)")
            #expect(httpRequest(host: "::1", port: third, path: "/metrics") == nil)
            #expect(daemon.process.isRunning)
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit(limit: 60) == 0, "\(daemon.text)")
        }
    }

    @Test("`sessionsync demo` serves /metrics and /healthz on a free loopback port and prints the URL")
    func demoServesMetrics() async throws {
        try await withTemporaryDirectory { directory in
            let demo = try SessionSyncProcess(["demo", "--database", directory + "/demo.sqlite"], directory: directory)
            defer { demo.killIfRunning() }
            #expect(demo.waitFor("metrics: http://127.0.0.1:"), "\(demo.text)")
            let line = demo.text.split(separator: "\n").first { $0.hasPrefix("metrics: http://127.0.0.1:") } ?? ""
            let port = try #require(Int(line.dropFirst("metrics: http://127.0.0.1:".count).prefix { $0.isNumber }))
            #expect(line.hasSuffix("/metrics  health: http://127.0.0.1:\(port)/healthz"), "\(line)")
            // The first pass to finish (YourGPT's takes the demo's rate limit some 25 s) is counted.
            let exposition = try #require(await scrapeAfter(passes: 1, port: port), "\(demo.text)")
            #expect(
                exposition.help["sessionsync_source_healthy"] != nil
                    && exposition.samples("sessionsync_source_healthy").count == 4, "\(exposition.text)")
            #expect(httpRequest(port: port, path: "/healthz") != nil)
            demo.signal(SIGINT)
            #expect(demo.waitForExit(limit: 60) == 0, "\(demo.text)")
        }
    }
}
