/// The controls of one source's loop: stop it between passes (a config reload), and wait for it
/// to finish (so its successor never overlaps a pass in flight).
actor LoopControl {
    private(set) var stopped = false
    private var sleepTask: Task<Void, any Error>?
    private var finished = false
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []

    /// Stops the loop after its pass in flight (if any); a sleeping loop wakes and ends at once.
    func stop() {
        stopped = true
        sleepTask?.cancel()
    }

    /// Sleeps for `duration`, unless stopped or cancelled first.
    func sleep(for duration: Duration, sleeper: Sleeper) async {
        guard !stopped else { return }
        let task = Task { try await sleeper.sleep(for: duration) }
        sleepTask = task
        await withTaskCancellationHandler {
            _ = try? await task.value
        } onCancel: {
            task.cancel()
        }
        sleepTask = nil
    }

    func markFinished() {
        finished = true
        for waiter in finishWaiters { waiter.resume() }
        finishWaiters.removeAll()
    }

    func waitUntilFinished() async {
        if finished { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            finishWaiters.append(continuation)
        }
    }
}
