import Foundation
import PostgresArchive
import PostgresNIO
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import Synchronization
import Testing

@Suite("Several `run` daemons on one PostgreSQL archive, through the binary", .serialized)
struct PostgresDaemonTests {
    /// The shortest lease a config may set, so that takeovers come quickly.
    static let lease = "3s"

    @Test(
        "two daemons on one config sync every source, never with two passes of one source at once (by the simulators' requests and sync_runs); after kill -9 of one, the other syncs every source"
    )
    func twoDaemons() async throws {
        try await FourSourceFixture.with { fixture in
            try await withTemporaryPostgresDatabase { database in
                var text = try String(
                    contentsOfFile: try PostgresSyncTests.config(of: fixture, database: database), encoding: .utf8)
                text = text.replacingOccurrences(of: #""every": "1h""#, with: #""every": "1s""#)
                // Longer than the others' lease: two live instances must never lose a source to each
                // other, even on a loaded machine where a heartbeat comes seconds late.
                text = text.replacingOccurrences(of: #""logLevel""#, with: #""databaseLease": "15s", "logLevel""#)
                let config = try writeFile("daemons.json", text, in: fixture.directory)
                let environment = PostgresSyncTests.environment(FourSourceFixture.keys, database)
                // When each source's upstream saw each request, by this machine's clock, as the runs record theirs.
                let arrivals = Mutex<[String: [Int64]]>([:])
                for provider in FourSourceFixture.Provider.allCases {
                    fixture.server(provider).hooks.add { _, _ in
                        arrivals.withLock {
                            $0["\(provider)", default: []].append(Timestamp.now().millisecondsSinceEpoch)
                        }
                    }
                }
                fixture.exportServer.hooks.add { _, _ in
                    arrivals.withLock { $0["realtimekit", default: []].append(Timestamp.now().millisecondsSinceEpoch) }
                }
                let first = try SessionSyncProcess(["run", "--config", config], environment: environment)
                let second = try SessionSyncProcess(["run", "--config", config], environment: environment)
                defer {
                    first.signal(SIGKILL)
                    second.signal(SIGKILL)
                }
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) { client in
                    // Until the daemons have migrated the database, its tables are not there to read.
                    let synced = await poll(limit: 180) {
                        (try? await Self.succeededRuns(client, since: nil, pid: nil))?.count == 4 ? true : nil
                    }
                    #expect(synced == true, "every source synced twice: \(first.text)\n\(second.text)")
                    // `status` names each source's holder: one of the two instances, or nobody between passes.
                    let status = try runSessionSync(["status", "--config", config], environment: environment)
                    #expect(status.status == 0, "\(status.stderr)")
                    let held = status.stdout.split(separator: "\n").filter { $0.hasPrefix("  held by:") }
                    #expect(held.count == 4, "\(status.stdout)")
                    #expect(
                        held.allSatisfy { $0.contains(":\(first.pid):") || $0.contains(":\(second.pid):") },
                        "\(status.stdout)")
                    #expect(status.stdout.contains("instances:  any number of `run` share the sources"))

                    first.signal(SIGKILL)
                    _ = first.waitForExit()
                    let killedAt = Timestamp.now()
                    let takenOver = try await poll(limit: 180) {
                        try await Self.succeededRuns(client, since: killedAt, pid: second.pid).count == 4 ? true : nil
                    }
                    #expect(takenOver == true, "the survivor synced every source after the kill: \(second.text)")
                    second.signal(SIGTERM)
                    #expect(second.waitForExit(limit: 60) == 0, "\(second.text)")

                    let runs = try await PostgresSyncTests.rows(
                        client,
                        """
                        SELECT s.name, r.status, r.pid::text,
                            (extract(epoch FROM r.started_at) * 1000)::bigint::text,
                            (extract(epoch FROM r.finished_at) * 1000)::bigint::text, r.error
                        FROM sync_runs r JOIN sources s ON s.id = r.source_id ORDER BY r.id
                        """)
                    let pids = Set(runs.compactMap { $0[2] })
                    #expect(pids.isSubset(of: ["\(first.pid)", "\(second.pid)"]))
                    for provider in FourSourceFixture.Provider.allCases {
                        let ofSource = runs.filter { $0[0] == "\(provider)" }.map {
                            Run(
                                status: $0[1] ?? "", pid: $0[2] ?? "", start: Int64($0[3] ?? "") ?? 0,
                                end: $0[4].flatMap { Int64($0) }, error: $0[5])
                        }
                        Self.expectOneAtATime(
                            ofSource, arrivals: arrivals.withLock { $0["\(provider)"] ?? [] }, source: "\(provider)",
                            killed: "\(first.pid)", killedAt: killedAt.millisecondsSinceEpoch)
                    }
                }
            }
        }
    }

    @Test(
        "kill -9 of the daemon holding a source mid-pass: the other daemon takes it over once the lease lapses, and the archive is exact"
    )
    func killNineMidPass() async throws {
        try await DaemonFixture.with { fixture in
            try await withTemporaryPostgresDatabase { database in
                let config = try Self.daemonConfig(fixture, database)
                let environment = PostgresSyncTests.environment(fixture.environment, database)
                let holder = PIDSlot()
                let survivorReady = DispatchSemaphore(value: 0)
                fixture.server.hooks.add { _, number in
                    // The survivor is up and turned away before the holder dies between two commits.
                    if number == 3 {
                        survivorReady.wait()
                        kill(holder.wait(), SIGKILL)
                    }
                }
                let first = try SessionSyncProcess(["run", "--config", config], environment: environment)
                holder.set(first.pid)
                defer { first.signal(SIGKILL) }
                #expect(first.waitFor("pass started"), "\(first.text)")
                let second = try SessionSyncProcess(["run", "--config", config], environment: environment)
                defer { second.signal(SIGKILL) }
                #expect(second.waitFor("daemon ready"), "\(second.text)")
                survivorReady.signal()
                _ = first.waitForExit()
                #expect(first.process.terminationReason == .uncaughtSignal)
                #expect(second.waitFor("pass finished"), "\(second.text)")
                second.signal(SIGTERM)
                #expect(second.waitForExit(limit: 60) == 0, "\(second.text)")

                let uids = fixture.simulator.uidsNewestFirst
                let messages = uids.reduce(0) { $0 + fixture.simulator.messageCount(of: $1) }
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) { client in
                    let sessions = try await PostgresSyncTests.rows(
                        client, "SELECT count(*)::text, count(DISTINCT external_id)::text FROM sessions")
                    let stored = try await PostgresSyncTests.rows(
                        client, "SELECT count(*)::text, count(DISTINCT (session_id, external_id))::text FROM messages")
                    let runs = try await PostgresSyncTests.rows(
                        client,
                        """
                        SELECT status, pid::text,
                            (extract(epoch FROM started_at - lag(coalesce(finished_at, heartbeat_at)) OVER (ORDER BY id)))::text
                        FROM sync_runs ORDER BY id
                        """)
                    #expect(sessions == [["\(uids.count)", "\(uids.count)"]])
                    #expect(stored == [["\(messages)", "\(messages)"]])
                    #expect(
                        runs.map { Array($0.prefix(2)) } == [
                            ["interrupted", "\(first.pid)"], ["succeeded", "\(second.pid)"],
                        ])
                    // For the record (the benchmark's note): seconds from the dead holder's last heartbeat to the takeover.
                    print("takeover after \(runs.last?[2] ?? "?") s with a \(Self.lease) lease")
                }
            }
        }
    }

    @Test(
        "a daemon paused past its lease (SIGSTOP) loses its source to the other daemon, and once resumed (SIGCONT) writes nothing: its commits are refused and its run stays interrupted"
    )
    func pausedDaemonWritesNothing() async throws {
        try await DaemonFixture.with { fixture in
            try await withTemporaryPostgresDatabase { database in
                let config = try Self.daemonConfig(fixture, database)
                let environment = PostgresSyncTests.environment(fixture.environment, database)
                let holder = PIDSlot()
                let otherReady = DispatchSemaphore(value: 0)
                let paused = DispatchSemaphore(value: 0)
                fixture.server.hooks.add { _, number in
                    // Paused while it waits for this answer, with pages still to commit.
                    if number == 3 {
                        otherReady.wait()
                        kill(holder.wait(), SIGSTOP)
                        paused.signal()
                    }
                }
                let first = try SessionSyncProcess(["run", "--config", config], environment: environment)
                holder.set(first.pid)
                defer {
                    first.signal(SIGCONT)
                    first.signal(SIGKILL)
                }
                #expect(first.waitFor("pass started"), "\(first.text)")
                let second = try SessionSyncProcess(["run", "--config", config], environment: environment)
                defer { second.signal(SIGKILL) }
                #expect(second.waitFor("daemon ready"), "\(second.text)")
                otherReady.signal()
                paused.wait()
                #expect(second.waitFor("pass finished"), "the other daemon took the source over: \(second.text)")

                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) { client in
                    let before = try await Self.everything(client)
                    first.signal(SIGCONT)
                    #expect(first.waitFor("no longer holds the lease"), "\(first.text)")
                    let after = try await Self.everything(client)
                    let changed = before.keys.filter { before[$0] != after[$0] }.sorted()
                    #expect(changed.isEmpty, "the resumed daemon changed \(changed)")
                    let runs = try await PostgresSyncTests.rows(
                        client, "SELECT status, pid::text FROM sync_runs ORDER BY id")
                    #expect(runs == [["interrupted", "\(first.pid)"], ["succeeded", "\(second.pid)"]])
                }
                first.signal(SIGTERM)
                second.signal(SIGTERM)
                #expect(first.waitForExit(limit: 60) == 0, "\(first.text)")
                #expect(second.waitForExit(limit: 60) == 0, "\(second.text)")
                let uids = fixture.simulator.uidsNewestFirst
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) { client in
                    let sessions = try await PostgresSyncTests.rows(
                        client, "SELECT count(*)::text, count(DISTINCT external_id)::text FROM sessions")
                    #expect(sessions == [["\(uids.count)", "\(uids.count)"]])
                }
            }
        }
    }

    /// A run of one source as the ledger has it, in epoch milliseconds.
    struct Run {
        let status: String
        let pid: String
        let start: Int64
        let end: Int64?
        var error: String? = nil
    }

    /// No two runs of a source overlap, and every request its upstream saw falls within one of
    /// them: so no two passes of it ever ran at once. The only runs cut short are the killed
    /// process's last one (taken over, which ends it, for this, where the next one begins: its
    /// last requests may follow its last heartbeat) and the survivor's last (stopped by SIGTERM):
    /// a run taken over from a live instance would mean two passes had overlapped.
    static func expectOneAtATime(_ runs: [Run], arrivals: [Int64], source: String, killed: String, killedAt: Int64) {
        #expect(!runs.isEmpty, "\(source) has runs")
        #expect(!runs.contains { $0.status == "running" }, "\(source): \(runs)")
        // A pass may fail for reasons of its own on a loaded machine (it is then recorded as
        // such, its span checked like any other), but never for having lost its source.
        for run in runs where run.status == "failed" {
            print("\(source): a failed run of \(run.pid): \(run.error ?? "(no error)")")
            #expect(run.error?.contains("no longer holds the lease") != true, "\(source): \(runs)")
        }
        var spans: [(Int64, Int64)] = []
        for (index, run) in runs.enumerated() {
            let next = index + 1 < runs.count ? runs[index + 1].start : Int64.max
            var end = run.end ?? Int64.max
            if run.status == "interrupted" {
                let lastOfItsProcess = !runs[(index + 1)...].contains { $0.pid == run.pid }
                #expect(
                    lastOfItsProcess && (run.pid == killed ? run.start <= killedAt : index == runs.count - 1),
                    "\(source): run \(index) of \(run.pid) was cut short while its process ran on: \(runs)")
                if run.pid == killed { end = next }
            }
            #expect(end <= next, "\(source): run \(index) ends at \(end), after the next one starts at \(next)")
            spans.append((run.start, end))
        }
        let outside = arrivals.filter { time in !spans.contains { $0.0 <= time && time <= $0.1 } }
        #expect(outside.isEmpty, "\(source): requests outside every run: \(outside), runs: \(spans)")
    }

    /// Sources with at least two succeeded runs (started after `since`, by `pid`, when given).
    static func succeededRuns(_ client: PostgresClient, since: Timestamp?, pid: Int32?) async throws -> [String] {
        var conditions = ["r.status = 'succeeded'"]
        if let since { conditions.append("r.started_at > '\(since.iso8601)'::timestamptz") }
        if let pid { conditions.append("r.pid = \(pid)") }
        let minimum = since == nil ? 2 : 1
        return try await PostgresSyncTests.rows(
            client,
            """
            SELECT s.name FROM sync_runs r JOIN sources s ON s.id = r.source_id
            WHERE \(conditions.joined(separator: " AND ")) GROUP BY s.name HAVING count(*) >= \(minimum)
            """
        ).compactMap { $0[0] }
    }

    /// What a write of any kind would change, by part: the content digest, every session's
    /// `last_seen_at`, the cursors with their times, the queue with its times and the run ledger.
    static func everything(_ client: PostgresClient) async throws -> [String: String] {
        var parts = ["content": try await ArchiveDigest.of(postgres: client)]
        for (name, sql) in [
            ("last_seen_at", "SELECT external_id || ' ' || last_seen_at::text FROM sessions ORDER BY id"),
            ("sync_cursors", "SELECT stream || ' ' || value || ' ' || updated_at::text FROM sync_cursors ORDER BY 1"),
            (
                "fetch_queue",
                "SELECT external_id || ' ' || state || ' ' || coalesce(last_attempt_at::text, '') FROM fetch_queue ORDER BY 1"
            ),
            (
                "sync_runs",
                "SELECT id::text || ' ' || status || ' ' || coalesce(heartbeat_at::text, '') || ' ' || coalesce(finished_at::text, '') FROM sync_runs ORDER BY id"
            ),
        ] {
            parts[name] = try await PostgresSyncTests.rows(client, sql).map { $0[0] ?? "" }.joined(separator: "\n")
        }
        return parts
    }

    /// The daemon fixture's config on `database`, every hour, with a short lease.
    static func daemonConfig(_ fixture: DaemonFixture, _ database: TemporaryPostgresDatabase) throws -> String {
        var config = DaemonFixture.config(server: fixture.server.baseURL, database: "\(database.location)", every: "1h")
        let password = database.password == nil ? "" : #""databasePassword": {"env": "PG_PASSWORD"}, "#
        config = config.replacingOccurrences(
            of: #""logLevel""#, with: #"\#(password)"databaseLease": "\#(Self.lease)", "logLevel""#)
        return try writeFile("daemons.json", config, in: fixture.directory)
    }
}
