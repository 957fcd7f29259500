import Archive
import SessionSyncSupport

/// Whether a source is keeping up, as `/healthz`, the `sessionsync_source_healthy` gauge and
/// `status` judge it, in one place: healthy when its last pass succeeded within three of its
/// schedule intervals, or when it has not had its first chance yet (three intervals since it is
/// watched have not passed). One failed pass between good ones is not yet a problem.
public struct SourceHealth: Sendable, Equatable {
    public let source: String
    public let healthy: Bool
    /// Why, in words: when it last succeeded and what the limit is.
    public let reason: String

    /// How many schedule intervals a source may go without a successful pass.
    public static let intervalsAllowed: Int64 = 3

    /// Judges `source` at `now`, from its last successful and last run, watched since `since`
    /// (the daemon's start, or when the archive first knew the source).
    public static func judge(
        _ source: SourceConfiguration, lastSuccess: RunRecord?, lastRun: RunRecord?, since: Timestamp, now: Timestamp
    ) -> SourceHealth {
        let succeededAt = lastSuccess.flatMap { $0.finishedAt.flatMap(Timestamp.init(iso8601:)) }
        let reference = succeededAt ?? since
        let interval = source.schedule.interval(after: reference)
        let allowed = interval * intervalsAllowed + source.schedule.jitter
        let deadline = reference.adding(allowed)
        let limit = "\(intervalsAllowed) × \(DurationText.format(interval)) (\(source.schedule))"
        if now <= deadline {
            let reason =
                succeededAt.map { "last success \($0.iso8601), within \(limit)" }
                ?? "waiting for its first successful pass (allowed until \(deadline.iso8601))"
            return SourceHealth(source: source.name, healthy: true, reason: reason)
        }
        var reason =
            succeededAt.map { "no successful pass since \($0.iso8601), longer than \(limit)" }
            ?? "no successful pass yet, longer than \(limit)"
        if let lastRun, lastRun.status != .succeeded {
            reason += "; last pass \(lastRun.status.rawValue)"
            if let error = lastRun.error { reason += ": \(error)" }
        }
        return SourceHealth(source: source.name, healthy: false, reason: reason)
    }
}
