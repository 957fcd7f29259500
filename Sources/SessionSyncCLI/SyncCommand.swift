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
        let environment = try CommandEnvironment.load(options, resolveSecrets: true, for: Self.self)
        let logger = ProcessLogging.bootstrap(
            level: environment.configuration.logLevel, redactor: environment.configuration.redactor)
        let selected = try environment.selectSources(source, enabledOnly: true)
        let archive = try environment.openArchiveDatabase(logger: logger)
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
