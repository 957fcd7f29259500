import Archive
import SessionSyncSupport
import Synchronization

/// The one-line summary the daemon shows in `systemctl status` (`STATUS=`).
final class StatusTracker: Sendable {
    private struct State {
        var last: PassOutcome?
        var failing: Set<String> = []
    }

    private let state = Mutex(State())

    func record(_ outcome: PassOutcome) {
        state.withLock { state in
            state.last = outcome
            if outcome.failed { state.failing.insert(outcome.source) } else { state.failing.remove(outcome.source) }
        }
    }

    func summary(sources: Int) -> String {
        state.withLock { state in
            let (last, failing) = (state.last, state.failing)
            var text = "\(sources) source(s) scheduled"
            if !failing.isEmpty { text += "; failing: \(failing.sorted().joined(separator: ", "))" }
            if let last {
                text +=
                    "; last pass: \(last.source) \(last.result.name), \(last.stats.sessionsUpserted) sessions upserted at \(Timestamp.now().iso8601)"
            }
            return text
        }
    }
}
