import Archive
import ArgumentParser
import SessionSyncSupport
import SyncEngine

/// `sessionsync status`
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each source's last run, cursors, next due time, queue and row counts.",
        discussion: """
            Reads the archive only; it never sends a request and needs no secrets. Sources that were archived \
            but are no longer in the config are listed too. Use --json for scripts.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let environment = try CommandEnvironment.load(options, resolveSecrets: false, for: Self.self)
        let store = try environment.openArchive()
        let report = try StatusReport.read(
            store: store, configuration: environment.configuration, database: environment.databasePath)
        // The archive's texts were redacted when written; a row written by an older release may
        // still quote an echoed header, which the redactor's labels catch without any secret.
        let redactor = environment.configuration.redactor
        Terminal.print(redactor.redact(json ? report.json.text : report.text))
    }
}
