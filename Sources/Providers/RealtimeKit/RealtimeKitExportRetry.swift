import SessionSyncSupport

/// When to ask again for an export that is not ready: on the next passes while the session ended
/// recently (exports usually appear within minutes), then less and less often, until the queue's
/// deadline (upstream retention) gives it up.
enum RealtimeKitExportRetry {
    static func notBefore(endedAt: Timestamp?, now: Timestamp) -> Timestamp? {
        guard let endedAt else { return nil }
        let age = now.millisecondsSinceEpoch - endedAt.millisecondsSinceEpoch
        switch age {
        case ..<(3_600_000): return nil
        case ..<(86_400_000): return now.adding(.seconds(30 * 60))
        default: return now.adding(.seconds(6 * 3600))
        }
    }
}
