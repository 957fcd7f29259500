import Foundation
import SessionSyncSupport

/// When and how long to wait before retrying: exponential backoff with full jitter, or exactly
/// what the server's `Retry-After` asks, within a ceiling.
public struct RetryPolicy: Sendable {
    public var retries: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A `Retry-After` longer than this is not waited out within the pass.
    public var maxRetryAfter: Duration

    public init(
        retries: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120)
    ) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Full jitter: a random wait between zero and `min(maxDelay, baseDelay · 2^attempt)`.
    public func backoff(attempt: Int) -> Duration {
        let ceiling = min(maxDelay.milliseconds, baseDelay.milliseconds << min(attempt, 20))
        return .milliseconds(Int64.random(in: 0...max(ceiling, 0)))
    }

    /// Whether a status is worth retrying.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 408 || (500...599).contains(status) && status != 501
    }

    /// The longest `Retry-After` taken as said. A server asking for more is asking for "much
    /// later": a day says that as well, and keeps every sum with it far from overflowing.
    public static let retryAfterCeiling: Duration = .seconds(86_400)

    /// Reads `Retry-After` in both its forms: seconds (`120`) or an HTTP-date
    /// (`Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now`, clamped to ``retryAfterCeiling``.
    /// Digits too many for 64 bits are a very long wait, not a missing header.
    public static func parseRetryAfter(_ value: String, now: Timestamp) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int64(trimmed), seconds < retryAfterCeiling.components.seconds else {
                return retryAfterCeiling
            }
            return .seconds(seconds)
        }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        let wait = Duration.milliseconds(max(0, date.millisecondsSinceEpoch - now.millisecondsSinceEpoch))
        return min(wait, retryAfterCeiling)
    }
}
