import Foundation
import Synchronization

/// The archive writer's own thread. The writer is the one serial stage of a pass; on the shared
/// task pool its jobs would queue behind the decoding of responses and wait for a free thread.
///
/// `@unchecked Sendable`: `jobs` and `stopped` are only touched while holding `condition`.
final class WriterExecutor: SerialExecutor, @unchecked Sendable {
    private var jobs: [UnownedJob] = []
    private var stopped = false
    private let condition = NSCondition()

    /// Starts the thread; it holds this executor until ``stop()``.
    /// `name` (at most 15 bytes) is what `top -H` and `ps -L` show for the thread.
    init(name: String) {
        let thread = Thread { [self] in
            // The kernel's name (what `top -H` shows), written by the thread itself: Swift sees no
            // `pthread_setname_np` in Glibc, and `prctl` is variadic.
            try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            Thread.current.name = name
            run()
        }
        thread.start()
    }

    /// Lets the thread end once the jobs already enqueued have run.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch {
                job.runSynchronously(on: asUnownedSerialExecutor())
            }
        }
    }
}
