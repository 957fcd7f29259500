import UnixSignals

/// Runs work that SIGTERM or SIGINT cancels (so passes end as `interrupted`, not killed).
enum SignalInterruptible {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T? {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        return await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                for await _ in signals { return nil }
                return nil
            }
            // The first to finish wins: the work, or a signal (which cancels the work).
            let first = await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            // A signal came first: wait for the work to wind down and record its interruption.
            while let next = await group.next() {
                if let next { return next }
            }
            return nil
        }
    }
}
