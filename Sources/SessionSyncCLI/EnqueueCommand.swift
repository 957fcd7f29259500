import Archive
import ArgumentParser
import SessionSyncSupport
import SyncEngine

/// `sessionsync enqueue`
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Ask an isnotai source to fetch these session ids (beside the ones its listing discovers).",
        discussion: """
            Adds the ids to the archive's detail_requests table, which the source's next pass (in this process \
            or a running daemon) moves into its fetch queue. Works while the daemon runs.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The isnotai source.", valueName: "name"))
    var source: String

    @Argument(help: ArgumentHelp("Session ids.", valueName: "id"))
    var ids: [String]

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("name at least one session id") }
        guard ids.allSatisfy({ !$0.isEmpty }) else { throw ValidationError("session ids must not be empty") }
    }

    func run() async throws {
        let configuration = try CommandEnvironment.loadConfigurationForArchive(options)
        let configured = try CommandEnvironment.selectSources([source], in: configuration, enabledOnly: false)[0]
        guard configured.provider == "isnotai" else {
            Terminal.error(
                "sessionsync: \(source) is a \(configured.provider) source; enqueue is for isnotai sources, whose sessions are fetched by id"
            )
            throw ExitStatus.badConfig
        }
        try await CommandEnvironment.withOperatorRequests(configuration) { archive in
            var ids = self.ids
            if let row = try await archive.source(named: source) {
                // An erased or expired session is never fetched again; the next pass would drop the request.
                let tombstoned = try await archive.tombstoned(sourceID: row.id, externalIDs: ids)
                if !tombstoned.isEmpty {
                    Terminal.print(
                        "\(source): \(tombstoned.count) id(s) skipped: erased or past retention (tombstoned)")
                    ids.removeAll { tombstoned.contains($0) }
                }
            }
            let count =
                ids.isEmpty ? 0 : try await archive.requestDetails(sourceName: source, externalIDs: ids, now: .now())
            Terminal.print("\(source): \(count) session id(s) queued; the next pass fetches them")
        }
    }
}
