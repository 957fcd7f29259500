import Foundation
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

/// The simulator and sources the OpenReplay tests share.
enum OpenReplayFixture {
    static let key = "or-secret-5c81d07e"
    static let projectKey = "aYYaFHiagqdXKEmVlmvJ"
    static let start = Timestamp(iso8601: "2026-11-20T12:00:00Z")!

    static func simulator(sessions: Int = 57, seed: UInt64 = 21) -> OpenReplaySimulator {
        var options = OpenReplaySimulator.Options()
        options.apiKey = key
        options.projectKey = projectKey
        options.sessions = sessions
        options.seed = seed
        options.clock = .manual(start)
        return OpenReplaySimulator(options: options)
    }

    /// A source of `style` with `pageSize` for `body`, shut down when `body` returns or throws;
    /// `extra` adds members (`, "filters": [...]`);
    /// `archive` is what the source writes to.
    @discardableResult
    static func withHarness<T>(
        _ simulator: OpenReplaySimulator, style: String = "public", pageSize: Int = 10, extra: String = "",
        key: String = OpenReplayFixture.key, projectKey: String = OpenReplayFixture.projectKey,
        archive: ArchiveChoice = .sqlite, _ body: (ProviderHarness) async throws -> T
    ) async throws -> T {
        try await withProviderHarness(
            api: simulator,
            source:
                #""provider": "openreplay", "apiStyle": "\#(style)", "projectKey": "\#(projectKey)", "apiKey": {"env": "OR_KEY"}, "pageSize": \#(pageSize)\#(extra)"#,
            secrets: ["OR_KEY": key],
            archive: archive,
            body
        )
    }

    /// The failure message of a run that must have failed.
    static func failure(_ outcome: PassOutcome.Result, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard case .failed(let message) = outcome else {
            Issue.record("expected a failed run, got \(outcome)", sourceLocation: sourceLocation)
            return nil
        }
        return message
    }

    /// The request bodies of the searches the simulator received, in order.
    static func searchBodies(_ harness: ProviderHarness) -> [JSONValue] {
        harness.server.log.matching("/assist/sessions").compactMap { $0.request.json?.root }
    }
}
