import Archive
import Foundation
import Logging
import SessionSyncSupport

/// One pass of several sources side by side (`sessionsync sync`, `demo --once`): a slow or
/// failing source delays no other.
public enum OnePass {
    public static func run(
        sources: [SourceConfiguration], registry: ProviderRegistry, archive: any ArchiveBackend,
        transport: HTTPTransport,
        logger: Logger, sleeper: Sleeper = .real, retry: RetryPolicy? = nil
    ) async -> [PassOutcome] {
        _ = try? await archive.interruptAbandonedRuns(
            now: .now(), isAlive: ProcessLiveness.isAlive, ownPID: Int(getpid()))
        return await withTaskGroup(of: PassOutcome?.self) { group in
            for source in sources {
                guard let descriptor = registry[source.provider] else { continue }
                let runner = SourceRunner(
                    source: source, descriptor: descriptor, archive: archive, transport: transport, logger: logger,
                    sleeper: sleeper, retry: retry
                )
                group.addTask { await runner.runPass() }
            }
            var outcomes: [PassOutcome] = []
            for await outcome in group {
                if let outcome { outcomes.append(outcome) }
            }
            let order = sources.map(\.name)
            return outcomes.sorted { (order.firstIndex(of: $0.source) ?? 0) < (order.firstIndex(of: $1.source) ?? 0) }
        }
    }
}
