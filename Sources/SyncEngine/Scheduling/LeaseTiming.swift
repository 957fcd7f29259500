/// How a source's runs and loop keep time with the other instances that share its archive,
/// from the archive's lease period (``ArchiveBackend/sourceLeasePeriod``; nil when this process
/// is the archive's only writer). The one place these rules live.
struct LeaseTiming: Sendable {
    let period: Duration?

    /// How often a run's heartbeat renews its source's lease: at least three times a period, so
    /// that one slow round trip (or two) does not cost the instance its source.
    func heartbeat(_ configured: Duration) -> Duration {
        guard let period else { return configured }
        return min(configured, period / 3)
    }

    /// The longest a loop waits before it reads the ledger again (nil: it waits for its next
    /// pass in one sleep). Half a period: a source whose holder died is due again once its lease
    /// lapses (``ArchiveBackend/lastRunStart(source:)``), which is at most a period after the
    /// holder's last renewal, so another instance takes it over within one and a half periods
    /// of that renewal, inside the two the daemon promises.
    var recheck: Duration? {
        period.map { $0 / 2 }
    }

    /// How long a loop waits after a pass was skipped because another process runs the source,
    /// before it asks again: without it, a loop whose pass is overdue would ask at once, and
    /// again, for as long as the other pass runs.
    var afterSkippedPass: Duration {
        recheck ?? .seconds(30)
    }
}
