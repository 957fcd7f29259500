import Archive
import ArgumentParser
import Providers
import SessionSyncSupport
import SyncEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sessionsync renormalize`
struct RenormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renormalize",
        abstract: "Re-derive every column and child set from the payloads the archive kept, without a request.",
        discussion: """
            Maps each session's stored raw, detail_raw, participants' and messages' raw again with this \
            release's mappers and rewrites exactly the values that differ (updated_at moves only for those \
            sessions); an unchanged archive sees no write. Quarantined records that map now are archived, \
            with the work a pass would queue for them. Runs in short transactions: safe while the daemon \
            runs. Exit status: 0 done, 1 when the archive could not be written (what was done stays), 78 on a bad \
            config or an unknown source.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Only this source (default: every configured source).", valueName: "name"))
    var source: String?

    func run() async throws {
        let environment = try CommandEnvironment.load(options, resolveSecrets: false, for: Self.self)
        let sources = try environment.selectSources(source.map { [$0] } ?? [], enabledOnly: false)
        let store = try environment.openArchive()
        let renormalizer = Renormalizer(store: store)
        let progress = ProgressLine(enabled: isatty(2) == 1)
        for source in sources {
            guard let descriptor = StandardProviders.registry[source.provider] else { continue }
            var reached = 0
            let summary: RenormalizeSummary?
            do {
                summary = try renormalizer.run(source: source.name, provider: descriptor.provider(for: source)) {
                    done, total in
                    reached = done
                    progress.show("\(source.name): \(done) of \(total) sessions")
                }
            } catch {
                progress.clear()
                // Each transaction of 200 sessions commits on its own: what was rewritten stays.
                Terminal.error(
                    "sessionsync: renormalize of \(source.name) stopped after \(reached) session(s): \(error); "
                        + "the sessions done so far are kept, and running it again goes over every session anew")
                throw ExitStatus.failure
            }
            progress.clear()
            guard let summary else {
                Terminal.print("\(source.name): never synced, nothing archived to renormalize")
                continue
            }
            for line in summary.lines { Terminal.print(line) }
        }
    }
}

extension RenormalizeSummary {
    /// The summary for people: what changed, what could not be mapped, what quarantine gave.
    var lines: [String] {
        var lines = [
            "\(source): \(sessionsRead) session(s) read, \(sessionsChanged) changed, \(rowsWritten) row(s) rewritten"
        ]
        if quarantineRetried > 0 {
            lines.append(
                "  quarantine: \(quarantineRetried) record(s) re-tried, \(quarantineArchived) archived, "
                    + "\(quarantineStillUnmappable) still unmappable, \(quarantineNotRetried) left (child rows, or an id shared by different records)"
            )
        }
        if failureCount > 0 {
            lines.append("  \(failureCount) session(s) whose stored payload no longer maps were left as they were:")
            for failure in failures { lines.append("    \(failure.externalID): \(failure.reason)") }
        }
        if !drift.isEmpty {
            lines.append("  values stored as NULL because they are not what the mapping expects:")
            for item in drift {
                lines.append(
                    "    \(item.endpoint) \(item.path): expected \(item.expected), found \(item.found) (\(item.count)×)"
                )
            }
        }
        return lines
    }
}
