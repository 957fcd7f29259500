import Archive
import ArgumentParser
import Foundation
import Logging
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
            API said. Exit status: 0 valid, 78 invalid (including a key the API refused), 1 when a probe could \
            not reach its API.
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
            try await probeSources(configuration)
        }
    }

    /// Probes every enabled source side by side, over HTTP alone: no archive is opened.
    private func probeSources(_ configuration: Configuration) async throws {
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
        if refused { throw ExitStatus.badConfig }
        if unreachable { throw ExitStatus.failure }
    }
}
