import Archive
import ArgumentParser
import Foundation
import Logging
import Providers
import SQLiteDB
import ServiceLifecycle
import SyncEngine
import UnixSignals

/// `sessionsync demo`
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the real daemon against bundled simulators of all four APIs, into ./demo.sqlite.",
        discussion: """
            Starts simulated OpenReplay, isnotai, RealtimeKit and YourGPT servers on 127.0.0.1 (deterministic data \
            that changes over time), then syncs them exactly as `run` would, printing each pass. With --once it \
            does one pass of every source, prints the archive's status and a few example queries with their \
            results, and exits. Without --once it also serves /metrics and /healthz on 127.0.0.1 (a free port, \
            printed; --metrics-listen picks one). No network access and no keys are needed.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The archive to write.", valueName: "file"))
    var database = "demo.sqlite"

    @Flag(name: .long, help: "One pass of every source, then print example queries and exit.")
    var once = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where to serve /metrics and /healthz while syncing (default: a free port on 127.0.0.1).",
            valueName: "host:port"))
    var metricsListen: String?

    func run() async throws {
        _ = try CommandEnvironment.sqlitePath(of: CommandEnvironment.databaseOption(database), for: Self.self)
        // The simulators' keys are known only once they run.
        let logger = ProcessLogging.bootstrap(level: .notice, redactor: SecretRedactor())
        let demo: DemoEnvironment
        do {
            demo = try await DemoEnvironment.start(database: database)
        } catch {
            Terminal.error("sessionsync: could not start the simulators: \(error)")
            throw ExitStatus.failure
        }
        ProcessLogging.redaction.include(demo.configuration.redactor)
        var configuration = demo.configuration
        if !once {
            // Port 0: the system picks a free one, shown below.
            configuration.metrics = MetricsConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0))
            if let metricsListen {
                switch ListenAddress.parse(metricsListen) {
                case .success(let address) where address.isLoopback: configuration.metrics?.listen = address
                case .success(let address):
                    await demo.shutdown()
                    Terminal.error("sessionsync: --metrics-listen: the demo serves on loopback only, not \(address)")
                    throw ExitStatus.badConfig
                case .failure(let error):
                    await demo.shutdown()
                    Terminal.error("sessionsync: --metrics-listen: \(error.message)")
                    throw ExitStatus.badConfig
                }
            }
        }
        let metrics = EngineMetrics()
        let archive = try CommandEnvironment(configuration: configuration, databasePath: database)
            .openArchiveDatabase(logger: logger, metrics: metrics)
        let transport = HTTPTransport()
        Terminal.print(
            "sessionsync demo: \(demo.configuration.sources.count) simulated sources on 127.0.0.1, archive \(database)")
        for source in demo.configuration.sources {
            Terminal.print("  \(source.name) [\(source.provider)] at \(source.baseURL), \(source.schedule)")
        }
        if once {
            let outcomes = await SignalInterruptible.run {
                await OnePass.run(
                    sources: demo.configuration.enabledSources, registry: StandardProviders.registry, archive: archive,
                    transport: transport, logger: logger
                )
            }
            for outcome in outcomes ?? [] { Terminal.print(outcome.summary) }
            await transport.shutdown()
            await demo.shutdown()
            try printExamples()
            if outcomes == nil || outcomes!.contains(where: { $0.failed }) { throw ExitStatus.failure }
            return
        }
        let endpoint = MetricsEndpoint(metrics: metrics, archive: archive)
        do {
            try await endpoint.apply(configuration)
        } catch {
            Terminal.error("sessionsync: \(error)")
            await endpoint.shutdown()
            await transport.shutdown()
            await demo.shutdown()
            throw ExitStatus.badConfig
        }
        Terminal.print(
            "syncing until Ctrl-C; query meanwhile with: sqlite3 -readonly \(database) 'SELECT * FROM v_daily_sessions'"
        )
        if let url = endpoint.url {
            Terminal.print("metrics: \(url)/metrics  health: \(url)/healthz")
        }
        var options = SyncDaemon.Options()
        options.metrics = metrics
        options.onOutcome = { outcome in Terminal.print(outcome.summary) }
        let daemon = SyncDaemon(
            configuration: configuration, registry: StandardProviders.registry, archive: archive,
            transport: transport,
            logger: logger, notifier: SystemdNotifier(environment: [:]), options: options
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: daemon)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
        )
        try await group.run()
        await endpoint.shutdown()
        await transport.shutdown()
        await demo.shutdown()
        try printExamples()
    }

    /// A few queries a user would run, with their results from the demo archive.
    private func printExamples() throws {
        let connection = try Connection(path: database, options: Connection.Options(mode: .readOnly))
        let examples = [
            (
                "Sessions per source and kind",
                "SELECT source, kind, count(*) AS sessions FROM v_sessions GROUP BY source, kind ORDER BY source"
            ),
            (
                "Sessions per day",
                "SELECT day, source, kind, sessions, round(total_duration_seconds / 60) AS minutes, distinct_users FROM v_daily_sessions ORDER BY day DESC, source, kind LIMIT 8"
            ),
            (
                "Live web sessions on the trial plan",
                "SELECT s.external_id, s.user_id, s.title FROM sessions s JOIN session_metadata m ON m.session_id = s.id WHERE m.key = 'plan' AND m.value = 'trial' AND s.status = 'live' LIMIT 5"
            ),
            (
                "Meetings with the most participants",
                "SELECT title, started_at, participant_count FROM v_sessions WHERE provider = 'realtimekit' ORDER BY participant_count DESC LIMIT 5"
            ),
            (
                "Most visited pages",
                "SELECT url, count(*) AS visits FROM page_history GROUP BY url ORDER BY visits DESC LIMIT 5"
            ),
            (
                "The latest messages",
                "SELECT s.external_id, m.sender, substr(m.body, 1, 40) AS body FROM messages m JOIN sessions s ON s.id = m.session_id ORDER BY m.sent_at DESC LIMIT 5"
            ),
            (
                "Recent runs",
                "SELECT r.id, s.name, r.status, r.requests, r.sessions_upserted, r.rows_written FROM sync_runs r JOIN sources s ON s.id = r.source_id ORDER BY r.id DESC LIMIT 8"
            ),
        ]
        Terminal.print("\nExample queries (run them yourself: sqlite3 -readonly \(database)):")
        for (title, sql) in examples {
            Terminal.print("\n-- \(title)\n\(sql);")
            let statement = try connection.prepare(sql)
            var header: [String] = []
            for column in 0..<statement.columnCount { header.append(statement.columnName(at: column)) }
            Terminal.print(header.joined(separator: " | "))
            var rows = 0
            while try statement.step() {
                var cells: [String] = []
                for column in 0..<statement.columnCount { cells.append(statement.text(at: column) ?? "NULL") }
                Terminal.print(cells.joined(separator: " | "))
                rows += 1
            }
            if rows == 0 { Terminal.print("(no rows)") }
        }
    }
}
