import SessionSyncSupport
import SyncEngine

/// The `http` target: the input as a header value or date-time text, through every parser of
/// time the engine has, and whatever parses through what the engine then does with it (wait
/// for it, log it, write it). A parsed timestamp must also survive its own round trip: the
/// archive stores `iso8601` text and reads it back.
enum HTTPTimeParsing {
    /// A fixed "now", so that a crash reproduces whatever the clock says.
    private static let now = Timestamp(millisecondsSinceEpoch: 1_765_000_000_000)
    private static let retry = RetryPolicy()

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let delay = RetryPolicy.parseRetryAfter(text, now: now) {
            _ = delay.milliseconds
            _ = delay <= retry.maxRetryAfter
            _ = DurationText.format(delay)
            _ = now.adding(delay).iso8601
        }
        if let date = HTTPDate.parse(text) {
            checkRoundTrip(date)
            _ = HTTPDate.format(date)
        }
        if let time = Timestamp(iso8601: text) {
            checkRoundTrip(time)
            _ = time.day
            _ = time.startOfDay
            _ = time.civil
            _ = HTTPDate.format(time)
        }
        if let duration = DurationText.parse(text) {
            _ = DurationText.format(duration)
        }
        ProviderMappings.mapHeaderValue(text)
    }

    private static func checkRoundTrip(_ time: Timestamp) {
        let text = time.iso8601
        guard let reread = Timestamp(iso8601: text) else {
            fatalError("Timestamp(\(time.millisecondsSinceEpoch) ms) writes \(text), which does not parse back")
        }
        guard reread == time else {
            fatalError(
                "Timestamp(\(time.millisecondsSinceEpoch) ms) writes \(text), which reads back as \(reread.millisecondsSinceEpoch) ms"
            )
        }
    }
}
