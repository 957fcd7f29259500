import SessionSyncSupport
import Synchronization

/// Every request a simulator received, with what it answered, for tests to read.
public final class RequestLog: Sendable {
    public struct Entry: Sendable {
        public let request: SimulatedRequest
        public let status: Int
        /// True when an injected fault produced the answer.
        public let faulted: Bool
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    public var all: [Entry] {
        entries.withLock { $0 }
    }

    public var count: Int {
        entries.withLock { $0.count }
    }

    /// Entries whose path contains `fragment`.
    public func matching(_ fragment: String) -> [Entry] {
        all.filter { $0.request.path.contains(fragment) }
    }

    public func clear() {
        entries.withLock { $0.removeAll() }
    }

    /// The most requests that arrived within any window of length `window` (by arrival time).
    public func maxRequests(in window: Duration) -> Int {
        let times = all.map(\.request.arrivedAt).sorted()
        var best = 0
        var start = 0
        for end in times.indices {
            while times[end] - times[start] >= window { start += 1 }
            best = max(best, end - start + 1)
        }
        return best
    }
}
