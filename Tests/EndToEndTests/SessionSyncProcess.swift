import Foundation

/// A running `sessionsync` subprocess whose stderr a test can wait on, line by line.
final class SessionSyncProcess: @unchecked Sendable {
    // @unchecked: `output` and `ended` are only touched under `condition`'s lock.
    let process: ChildProcess
    private let condition = NSCondition()
    private var output = ""
    private var ended = false
    private let exited = DispatchSemaphore(value: 0)

    init(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws {
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let pipe = try ChildPipe()
        let exited = self.exited
        do {
            process = try ChildProcess(
                sessionsyncBinary, arguments, environment: env, directory: directory, standardOutput: pipe.write,
                standardError: pipe.write, onExit: { exited.signal() })
        } catch {
            close(pipe.read)
            close(pipe.write)
            throw error
        }
        close(pipe.write)
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                var count = 0
                repeat {
                    count = buffer.withUnsafeMutableBytes { read(pipe.read, $0.baseAddress, $0.count) }
                } while count < 0 && errno == EINTR
                condition.lock()
                if count <= 0 {
                    ended = true
                } else {
                    output += String(decoding: buffer[0..<count], as: UTF8.self)
                }
                condition.broadcast()
                condition.unlock()
                if count <= 0 { break }
            }
            close(pipe.read)
        }
    }

    var pid: Int32 {
        process.processIdentifier
    }

    /// Everything the process wrote so far.
    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return output
    }

    /// Everything the process wrote, read once it closed its output (it does at exit); what
    /// arrived when `limit` passes without that. The limit only bounds a broken test.
    func outputAfterExit(limit: TimeInterval = 120) -> String {
        let deadline = Date().addingTimeInterval(limit)
        condition.lock()
        defer { condition.unlock() }
        while !ended && condition.wait(until: deadline) {}
        return output
    }

    /// Waits until the output contains `fragment` (true), or the process closes its output or
    /// `limit` passes without it (false). The limit only bounds a broken test; it synchronizes nothing.
    @discardableResult
    func waitFor(_ fragment: String, occurrences: Int = 1, limit: TimeInterval = 120) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        condition.lock()
        defer { condition.unlock() }
        while output.components(separatedBy: fragment).count - 1 < occurrences {
            if ended || !condition.wait(until: deadline) {
                return output.components(separatedBy: fragment).count - 1 >= occurrences
            }
        }
        return true
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits at most `limit` for the process to end by itself and returns its exit status (or the
    /// signal that ended it); nil, after killing it, when it was still running. The limit only
    /// bounds a broken run (a process that never ends); it synchronizes nothing.
    func waitForExit(limit: TimeInterval) -> Int32? {
        guard exited.wait(timeout: .now() + limit) == .success else {
            signal(SIGKILL)
            _ = waitForExit()
            return nil
        }
        exited.signal()
        return process.terminationStatus
    }

    /// Waits for the process to end and returns its exit status (or the signal that ended it).
    func waitForExit() -> Int32 {
        exited.wait()
        exited.signal()
        return process.terminationStatus
    }
}
