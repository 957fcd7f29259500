import NIOConcurrencyHelpers

/// Code a test runs when a request arrives, before it is answered: to kill a client process at
/// an exact request, or to learn that a pass reached a given page, without sleeping.
public final class RequestHooks: Sendable {
    public typealias Hook = @Sendable (SimulatedRequest, Int) -> Void

    private let hooks = NIOLockedValueBox<[Hook]>([])

    public init() {}

    /// Adds `hook`, called with each request and its number (1 for the first the server logs).
    public func add(_ hook: @escaping Hook) {
        hooks.withLockedValue { $0.append(hook) }
    }

    public func removeAll() {
        hooks.withLockedValue { $0.removeAll() }
    }

    func run(_ request: SimulatedRequest, number: Int) {
        for hook in hooks.withLockedValue({ $0 }) { hook(request, number) }
    }
}
