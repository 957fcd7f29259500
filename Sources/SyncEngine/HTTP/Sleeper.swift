/// How the engine waits (backoff, Retry-After, rate limits, schedules). Tests swap in one that
/// records the waits it was asked for, so they assert on what was asked, not on elapsed time.
public struct Sleeper: Sendable {
    private let body: @Sendable (Duration) async throws -> Void

    public init(_ body: @escaping @Sendable (Duration) async throws -> Void) {
        self.body = body
    }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        try await body(duration)
    }

    /// Real time; cancellable.
    public static let real = Sleeper { duration in
        try await Task.sleep(for: duration)
    }
}
