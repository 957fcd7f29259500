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
        while !Task.isCancelled {
            if await control.stopped { break }
            let due = await nextStart()
            let wait = Duration.milliseconds(
                max(0, due.millisecondsSinceEpoch - Timestamp.now().millisecondsSinceEpoch))
            if wait > .zero {
                logger.debug(
                    "waiting for the next pass",
                    metadata: ["source": "\(runner.source.name)", "next": "\(due.iso8601)"])
                await control.sleep(for: wait, sleeper: sleeper)
            }
            let stopped = await control.stopped
            if Task.isCancelled || stopped { break }
            let outcome = await runner.runPass()
            await onOutcome(outcome)
        }
        await control.markFinished()
    }

    /// The schedule's next start after the source's last run (from the ledger, so a restart
    /// does not run every source at once), plus a random jitter.
    private func nextStart() async -> Timestamp {
        let source = runner.source
        let lastStart = try? await archive.lastRunStart(source: source.name)
        let base = source.schedule.nextStart(lastStart: lastStart, now: .now())
        let jitter = source.schedule.jitter.milliseconds
        return jitter > 0 ? base.adding(milliseconds: Int64.random(in: 0...jitter)) : base
    }
}
