import SessionSyncSupport

/// When a source runs: every fixed interval, or at the minutes a cron expression names (UTC),
/// each time delayed by a random jitter so that many daemons do not hit an API at once.
public struct Schedule: Sendable, Equatable, CustomStringConvertible {
    public enum Rule: Sendable, Equatable {
        case every(Duration)
        case cron(CronExpression)
    }

    public var rule: Rule
    public var jitter: Duration

    public init(rule: Rule, jitter: Duration = .zero) {
        self.rule = rule
        self.jitter = jitter
    }

    public static func every(_ interval: Duration, jitter: Duration = .zero) -> Schedule {
        Schedule(rule: .every(interval), jitter: jitter)
    }

    /// The next start after a pass that started at `lastStart` (or now, for a source that never
    /// ran: it runs at once), before jitter.
    public func nextStart(lastStart: Timestamp?, now: Timestamp) -> Timestamp {
        switch rule {
        case .every(let interval):
            guard let lastStart else { return now }
            return lastStart.adding(interval)
        case .cron(let expression):
            return expression.next(after: lastStart.map { max($0, now) } ?? now) ?? now.adding(.seconds(86_400 * 365))
        }
    }

    /// The time between two starts around `instant`: the interval, or for a cron expression the
    /// gap between its next two times (a day when it names none).
    public func interval(after instant: Timestamp) -> Duration {
        switch rule {
        case .every(let interval):
            return interval
        case .cron(let expression):
            guard let first = expression.next(after: instant), let second = expression.next(after: first) else {
                return .seconds(86_400)
            }
            return .milliseconds(second.millisecondsSinceEpoch - first.millisecondsSinceEpoch)
        }
    }

    public var description: String {
        let base: String =
            switch rule {
            case .every(let interval): "every \(DurationText.format(interval))"
            case .cron(let expression): "cron \"\(expression.text)\" (UTC)"
            }
        return jitter > .zero ? "\(base) ±\(DurationText.format(jitter)) jitter" : base
    }
}
