import Archive
import Logging
import SessionSyncSupport

/// Runs one source's passes on its schedule until stopped or cancelled. A source never overlaps
/// itself: the next pass is planned only after the previous one ended.
struct SourceLoop: Sendable {
    let runner: SourceRunner
    let archive: any ArchiveBackend
    let sleeper: Sleeper
    let logger: Logger
    let control = LoopControl()
    let onOutcome: @Sendable (PassOutcome) async -> Void

    /// Passes until stopped; the first waits for `predecessor` (the same source's old loop).
    func run(after predecessor: LoopControl?) async {
        if let predecessor { await predecessor.waitUntilFinished() }
        let timing = LeaseTiming(period: archive.sourceLeasePeriod)
        // Drawn once per pass, so that looking at the ledger again does not draw it again.
        var jitter = drawJitter()
        while !Task.isCancelled {
            if await control.stopped { break }
            let due = await nextStart(jitter: jitter)
            let wait = Duration.milliseconds(
                max(0, due.millisecondsSinceEpoch - Timestamp.now().millisecondsSinceEpoch))
            if wait > .zero {
                logger.debug(
                    "waiting for the next pass",
                    metadata: ["source": "\(runner.source.name)", "next": "\(due.iso8601)"])
                // Shared with other instances, the ledger may change behind this loop's back (a
                // holder dies mid-pass): it looks again every so often rather than sleeping through.
                if let recheck = timing.recheck, recheck < wait {
                    await control.sleep(for: recheck, sleeper: sleeper)
                    continue
                }
                await control.sleep(for: wait, sleeper: sleeper)
            }
            let stopped = await control.stopped
            if Task.isCancelled || stopped { break }
            let outcome = await runner.runPass()
            await onOutcome(outcome)
            jitter = drawJitter()
            if case .skipped = outcome.result {
                await control.sleep(for: timing.afterSkippedPass, sleeper: sleeper)
            }
        }
        await control.markFinished()
    }

    /// The schedule's next start after the source's last run (from the ledger, so a restart
    /// does not run every source at once), plus `jitter` milliseconds.
    private func nextStart(jitter: Int64) async -> Timestamp {
        let source = runner.source
        let lastStart = try? await archive.lastRunStart(source: source.name)
        return source.schedule.nextStart(lastStart: lastStart, now: .now()).adding(milliseconds: jitter)
    }

    /// A random delay up to the schedule's jitter.
    private func drawJitter() -> Int64 {
        let jitter = runner.source.schedule.jitter.milliseconds
        return jitter > 0 ? Int64.random(in: 0...jitter) : 0
    }
}
