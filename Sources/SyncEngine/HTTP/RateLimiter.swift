/// Holds a source to its rate limits: at most `requests` requests in any window of `per`, for
/// every limit at once. A sliding log of recent start times, so bursts cannot exceed a limit
/// across a window boundary (a fixed-window counter would allow twice the limit there).
public actor RateLimiter {
    private let limits: [RateLimit]
    private let sleeper: Sleeper
    /// Start times of the requests inside the longest window, oldest first. Older ones can no
    /// longer hold anything back, so the log never grows past what a window holds.
    private var starts: [ContinuousClock.Instant] = []
    private let clock = ContinuousClock()
    private let longestWindow: Duration

    public init(limits: [RateLimit], sleeper: Sleeper = .real) {
        self.limits = limits
        self.sleeper = sleeper
        self.longestWindow = limits.map(\.per).max() ?? .zero
    }

    /// Waits until one more request fits every limit, then records it.
    public func acquire() async throws {
        guard !limits.isEmpty else { return }
        while true {
            let now = clock.now
            if let keep = starts.firstIndex(where: { now - $0 < longestWindow }) {
                starts.removeFirst(keep)
            } else {
                starts.removeAll(keepingCapacity: true)
            }
            var wait: Duration = .zero
            for limit in limits where starts.count >= limit.requests {
                // The request `limit.requests` back must have left the window.
                let blocker = starts[starts.count - limit.requests]
                let free = blocker.advanced(by: limit.per)
                if free > now { wait = max(wait, free - now) }
            }
            if wait == .zero {
                starts.append(now)
                return
            }
            // Another task may take the slot while we sleep; the loop checks again.
            try await sleeper.sleep(for: wait)
        }
    }
}
