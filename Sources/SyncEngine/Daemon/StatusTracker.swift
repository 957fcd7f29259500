import Archive
import Foundation
import SessionSyncSupport

/// The one-line summary the daemon shows in `systemctl status` (`STATUS=`).
///
/// Sendable because `last` and `failing` are only read or written while holding `state`.
final class StatusTracker: Sendable {
    private let state = NSLock()
    nonisolated(unsafe) private var last: PassOutcome?
    nonisolated(unsafe) private var failing: Set<String> = []
    let notifier: SystemdNotifier

    init(notifier: SystemdNotifier) {
        self.notifier = notifier
    }

    func record(_ outcome: PassOutcome) {
        state.withLock {
            last = outcome
            if outcome.failed { failing.insert(outcome.source) } else { failing.remove(outcome.source) }
        }
    }

    func summary(sources: Int) -> String {
        state.withLock {
            var text = "\(sources) source(s) scheduled"
            if !failing.isEmpty { text += "; failing: \(failing.sorted().joined(separator: ", "))" }
            if let last {
                let result: String =
                    switch last.result {
                    case .succeeded: "succeeded"
                    case .failed: "failed"
                    case .interrupted: "interrupted"
                    case .skipped: "skipped"
                    }
                text += "; last pass: \(last.source) \(result), \(last.stats.sessionsUpserted) sessions upserted at \(Timestamp.now().iso8601)"
            }
            return text
        }
    }
}
