import Archive
import ArgumentParser
import Foundation
import Logging
import Providers
import SyncEngine
import UnixSignals

/// `sessionsync sync`
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Run one pass of every enabled source (or the named ones), then exit.",
        discussion: """
            The sources run side by side; a failing source does not stop the others. SIGTERM or SIGINT interrupts \
            the passes (each keeps what it committed and is recorded as interrupted). Exit status: 0 if every \
            source succeeded, 1 if any failed or was interrupted, 78 on a bad config.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Sync only this source (repeatable).", valueName: "name"))
    var source: [String] = []

    func run() async throws {
        let configuration = try CommandEnvironment.loadConfiguration(options, resolveSecrets: true)
        let logger = ProcessLogging.bootstrap(level: configuration.logLevel, redactor: configuration.redactor)
        switch configuration.databaseLocation {
        case .sqlite(let path):
            let environment = CommandEnvironment(configuration: configuration, databasePath: path)
            let selected = try environment.selectSources(source, enabledOnly: true)
            try await sync(selected, into: try environment.openArchiveDatabase(logger: logger), logger: logger)
        case .postgres(let location):
            let environment = CommandEnvironment(configuration: configuration, databasePath: "\(location)")
            let selected = try environment.selectSources(source, enabledOnly: true)
            let report: (String) -> Void = { logger.critical("cannot use the archive", metadata: ["error": "\($0)"]) }
            try await PostgresArchiveOpening.with(
                location, password: configuration.databasePassword?.reveal(), leasePeriod: configuration.databaseLease,
                logger: logger, report: report
            ) { archive, _ in
                try await sync(selected, into: archive, logger: logger)
            }
        }
    }

    /// One pass of each source into `archive`; exit 1 unless every one succeeded.
    private func sync(_ selected: [SourceConfiguration], into archive: any ArchiveBackend, logger: Logger) async throws
    {
        let transport = HTTPTransport()
        let outcomes = await SignalInterruptible.run {
            await OnePass.run(
                sources: selected, registry: StandardProviders.registry, archive: archive, transport: transport,
                logger: logger)
        }
        await transport.shutdown()
        for outcome in outcomes ?? [] {
            Terminal.print(outcome.summary)
        }
        guard let outcomes, outcomes.allSatisfy({ !$0.failed && $0.result != .interrupted }) else {
            throw ExitStatus.failure
        }
    }
}

extension PassOutcome {
    /// One line for the terminal.
    var summary: String {
        let counts =
            "\(progress.requests) requests, \(stats.sessionsInserted) new, \(stats.sessionsChanged) changed, \(stats.sessionsUnchanged) unchanged sessions, \(stats.rowsWritten) rows written"
        switch result {
        case .succeeded:
            let warnings = progress.warnings.isEmpty ? "" : " (warnings: \(progress.warnings.joined(separator: "; ")))"
            return "\(source): succeeded: \(counts)\(warnings)"
        case .failed(let message):
            return "\(source): FAILED: \(message)"
        case .interrupted:
            return "\(source): interrupted after \(counts)"
        case .skipped(let reason):
            return "\(source): skipped: \(reason)"
        }
    }
}
