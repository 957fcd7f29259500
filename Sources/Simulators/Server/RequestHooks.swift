import Synchronization

/// Code a test runs when a request arrives, before it is answered: to kill a client process at
/// an exact request, or to learn that a pass reached a given page, without sleeping.
public final class RequestHooks: Sendable {
    public typealias Hook = @Sendable (SimulatedRequest, Int) -> Void

    private let hooks = Mutex<[Hook]>([])
    /// Numbers arrivals itself: requests arrive on several connections at once.
    private let arrivals = Mutex(0)

    public init() {}

    /// Adds `hook`, called with each request and its number (1 for the first the server received).
    public func add(_ hook: @escaping Hook) {
        hooks.withLock { $0.append(hook) }
    }

    public func removeAll() {
        hooks.withLock { $0.removeAll() }
    }

    func run(_ request: SimulatedRequest) {
        let number = arrivals.withLock { count -> Int in
            count += 1
            return count
        }
        for hook in hooks.withLock({ $0 }) { hook(request, number) }
    }
}
