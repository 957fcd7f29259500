import Archive
import SessionSyncSupport
import Synchronization

/// The one-line summary the daemon shows in `systemctl status` (`STATUS=`).
final class StatusTracker: Sendable {
    private struct State {
        var last: PassOutcome?
        var failing: Set<String> = []
        /// The sources of the config in force. A pass that a reload's predecessor loop finishes
        /// afterwards is summed up against these, not against the config it started under.
        var scheduled: Set<String> = []
    }

    private let state = Mutex(State())

    /// The sources of the config in force: at start and after each reload that was applied.
    func schedule(_ sources: [String]) {
        state.withLock { state in
            state.scheduled = Set(sources)
            state.failing.formIntersection(state.scheduled)
        }
    }

    func record(_ outcome: PassOutcome) {
        state.withLock { state in
            state.last = outcome
            if outcome.failed, state.scheduled.contains(outcome.source) {
                state.failing.insert(outcome.source)
            } else {
                state.failing.remove(outcome.source)
            }
        }
    }

    func summary() -> String {
        state.withLock { state in
            let (last, failing) = (state.last, state.failing)
            var text = "\(state.scheduled.count) source(s) scheduled"
            if !failing.isEmpty { text += "; failing: \(failing.sorted().joined(separator: ", "))" }
            if let last {
                text +=
                    "; last pass: \(last.source) \(last.result.name), \(last.stats.sessionsUpserted) sessions upserted at \(Timestamp.now().iso8601)"
            }
            return text
        }
    }
}
