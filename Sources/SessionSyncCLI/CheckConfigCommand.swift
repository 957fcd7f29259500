import Archive
import ArgumentParser
import Foundation
import Logging
import PostgresArchive
import Providers
import SyncEngine

/// `sessionsync check-config`
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the config and print every problem with its JSON path.",
        discussion: """
            Reads the whole config, resolves every secret (environment variables, files, systemd credentials) \
            and reports all problems at once, each with its JSON path, e.g. \
            "sources[2].apiToken: environment variable CLOUDFLARE_API_TOKEN is not set". \
            With --probe it also sends one authenticated request to each enabled source and reports what the \
            API said; for a PostgreSQL archive (a postgres:// "database") it also connects to the server as the \
            config says and reports its version and the archive's schema version. Exit status: 0 valid, 78 \
            invalid (including a key the API or PostgreSQL refused, or a database that does not exist), 1 when a \
            probe could not reach its API or server.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Flag(name: .long, help: "Also make one authenticated request per enabled source.")
    var probe = false

    func run() async throws {
        let configuration = try CommandEnvironment.loadConfiguration(options, resolveSecrets: true)
        for warning in configuration.warnings {
            Terminal.error("warning: \(warning)")
        }
        Terminal.print(
            "\(configuration.file): valid, \(configuration.sources.count) source(s), archive \(configuration.databaseLocation)"
        )
        if case .postgres = configuration.databaseLocation {
            Terminal.print(
                "  note: a PostgreSQL archive is checked here, but the other commands do not support it yet "
                    + "(they exit 78)")
        }
        for source in configuration.sources {
            let state = source.enabled ? "" : " (disabled)"
            Terminal.print("  \(source.name): \(source.provider) at \(source.baseURL), \(source.schedule)\(state)")
        }
        if probe {
            let database = await probeDatabase(configuration)
            let sources = await probeSources(configuration)
            switch (database, sources) {
            case (.refused, _), (_, .refused): throw ExitStatus.badConfig
            case (.unreachable, _), (_, .unreachable): throw ExitStatus.failure
            default: break
            }
        }
    }

    /// The worst that the probes of one kind met.
    private enum ProbeVerdict {
        case answered
        /// Only a change of config (or of the server's set-up) helps: exit 78.
        case refused
        /// It may work later: exit 1.
        case unreachable
    }

    /// Connects to a PostgreSQL archive as the config says; a SQLite file needs nothing.
    private func probeDatabase(_ configuration: Configuration) async -> ProbeVerdict {
        guard case .postgres(let location) = configuration.databaseLocation else { return .answered }
        let probe = PostgresProbe(location: location, password: configuration.databasePassword?.reveal())
        let logger = Logger(label: "sessionsync.probe") { _ in SwiftLogNoOpLogHandler() }
        let redactor = configuration.redactor
        switch await probe.run(logger: logger) {
        case .success(let answer):
            let latest = (try? PostgresMigrations.migrator().latestVersion) ?? 0
            let schema =
                switch answer.schemaVersion {
                case 0: "not migrated yet"
                case latest: "schema version \(latest), up to date"
                case ..<latest: "schema version \(answer.schemaVersion), older than this sessionsync's \(latest)"
                default:
                    "schema version \(answer.schemaVersion), written by a newer sessionsync (this one knows \(latest))"
                }
            Terminal.print(
                "  probe database: PostgreSQL \(answer.serverVersion) at \(location.endpoint), database "
                    + "\(location.database) as \(location.user) (sslmode=\(location.sslMode.rawValue)): \(schema)")
            return .answered
        case .failure(let failure):
            Terminal.error("probe database: \(redactor.redact(failure.message))")
            return failure.isConfigProblem ? .refused : .unreachable
        }
    }

    /// Probes every enabled source side by side, over HTTP alone: no archive is opened.
    private func probeSources(_ configuration: Configuration) async -> ProbeVerdict {
        let transport = HTTPTransport()
        let logger = Logger(label: "sessionsync.probe") { _ in SwiftLogNoOpLogHandler() }
        let results = await withTaskGroup(of: (String, ProbeOutcome).self) { group in
            for source in configuration.enabledSources {
                guard let descriptor = StandardProviders.registry[source.provider] else { continue }
                let probe = SourceProbe(
                    source: source, descriptor: descriptor, transport: transport, logger: logger,
                    retry: RetryPolicy(retries: 1))
                group.addTask { (source.name, await probe.run()) }
            }
            var results: [String: ProbeOutcome] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
        await transport.shutdown()
        var refused = false
        var unreachable = false
        for source in configuration.enabledSources {
            switch results[source.name] {
            case .answered(let summary):
                Terminal.print("  probe \(source.name): \(summary)")
            case .refused(let message):
                refused = true
                Terminal.error("probe \(source.name): \(message)")
            case .failed(let message):
                unreachable = true
                Terminal.error("probe \(source.name): \(message)")
            case nil:
                break
            }
        }
        if refused { return .refused }
        return unreachable ? .unreachable : .answered
    }
}
