import ArgumentParser
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
            Exit status: 0 valid, 78 invalid.
            """
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let environment = try CommandEnvironment.load(options, resolveSecrets: true)
        let configuration = environment.configuration
        for warning in configuration.warnings {
            Terminal.error("warning: \(warning)")
        }
        Terminal.print("\(configuration.file): valid, \(configuration.sources.count) source(s), archive \(environment.databasePath)")
        for source in configuration.sources {
            let state = source.enabled ? "" : " (disabled)"
            Terminal.print("  \(source.name): \(source.provider) at \(source.baseURL), \(source.schedule)\(state)")
        }
    }
}
