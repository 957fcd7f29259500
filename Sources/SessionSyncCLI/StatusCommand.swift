import Archive
import ArgumentParser
import Logging
import PostgresArchive
import SessionSyncSupport
import SyncEngine

/// `sessionsync status`
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each source's last run, cursors, next due time, queue and row counts.",
        discussion: """
            Reads the archive only; it never sends a request and needs no secrets but a PostgreSQL archive's password. With a PostgreSQL archive it shows which instance holds each source. Sources that were archived \
            but are no longer in the config are listed too. Use --json for scripts.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let configuration = try CommandEnvironment.loadConfigurationForArchive(options)
        let report: StatusReport
        switch configuration.databaseLocation {
        case .sqlite(let path):
            let environment = CommandEnvironment(configuration: configuration, databasePath: path)
            report = try await StatusReport.read(
                store: try environment.openArchive(), configuration: configuration, database: path)
        case .postgres(let location):
            report = try await PostgresArchiveOpening.with(
                location, password: configuration.databasePassword?.reveal()
            ) { archive, _ in
                try await archive.withStatusReading { store in
                    try await StatusReport.read(
                        store: store, configuration: configuration, database: "\(location)",
                        sharedLease: configuration.databaseLease)
                }
            }
        }
        // The archive's texts were redacted when written; a row written by an older release may
        // still quote an echoed header, which the redactor's labels catch without any secret.
        Terminal.print(configuration.redactor.redact(json ? report.json.text : report.text))
    }
}
