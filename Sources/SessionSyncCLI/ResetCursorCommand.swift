import Archive
import ArgumentParser
import SessionSyncSupport
import SyncEngine

/// `sessionsync reset-cursor`
struct ResetCursorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-cursor",
        abstract: "Forget a source's cursor so the next pass re-fetches from the source's `since`.",
        discussion: """
            Without --stream every cursor of the source is forgotten. Archived rows stay: the next pass upserts \
            what it reads again, so nothing is duplicated. `status` lists each source's cursors and streams.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The source.", valueName: "name"))
    var source: String

    @Option(name: .long, help: ArgumentHelp("Only this cursor stream (see `status`).", valueName: "stream"))
    var stream: String?

    func run() async throws {
        let configuration = try CommandEnvironment.loadConfigurationForArchive(options)
        _ = try CommandEnvironment.selectSources([source], in: configuration, enabledOnly: false)
        try await CommandEnvironment.withOperatorRequests(configuration) { archive in
            guard let row = try await archive.source(named: source) else {
                Terminal.print("\(source): never synced, no cursor to reset")
                return
            }
            let removed = try await archive.resetCursors(sourceID: row.id, stream: stream)
            if removed == 0 {
                Terminal.print("\(source): no cursor\(stream.map { " named \($0)" } ?? "") to reset")
            } else {
                Terminal.print("\(source): forgot \(removed) cursor(s); the next pass starts from the source's since")
            }
        }
    }
}
