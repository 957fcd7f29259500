import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for the tests that run `sessionsync` and other
/// programs.
///
/// Not Foundation's `Process`: on Linux its `run()` (Swift 6.3.1) reads `/proc/self/fd` copying
/// 256 bytes of each directory entry's name, past the end of glibc's buffer, and now and then
/// that read crosses into an unmapped page and kills the whole test process with SIGSEGV in
/// `memcpy` (swift-corelibs-foundation pull request 5472, fixed after 6.3.1). A suite that starts
/// a few hundred processes met it in about one run of three. Here the child closes every
/// descriptor above stderr with `posix_spawn_file_actions_addclosefrom_np` instead, which is
/// what `Process` emulates with that listing.
final class ChildProcess: Sendable {
    /// How it ended, with the Foundation meanings: the exit status, or the signal that killed it.
    let processIdentifier: Int32
    private let termination = Termination()

    private final class Termination: Sendable {
        let state = Mutex<(reason: Process.TerminationReason, status: Int32)?>(nil)
        let condition = NSCondition()
    }

    /// Starts `path` with `arguments` and exactly `environment`, in `directory` (or this
    /// process's), with standard input from `/dev/null` unless given, and standard output and
    /// error as given (else this process's). The descriptors given are the caller's to close.
    /// `onExit` is called once, on a thread of its own, when the child has ended.
    init(
        _ path: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil,
        onExit: (@Sendable () -> Void)? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        try Self.check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init")
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput {
            try Self.check(posix_spawn_file_actions_adddup2(&actions, standardInput, 0), "adddup2 stdin")
        } else {
            try Self.check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin")
        }
        if let standardOutput {
            try Self.check(posix_spawn_file_actions_adddup2(&actions, standardOutput, 1), "adddup2 stdout")
        }
        if let standardError {
            try Self.check(posix_spawn_file_actions_adddup2(&actions, standardError, 2), "adddup2 stderr")
        }
        if let directory {
            try Self.check(Self.addChdir(&actions, directory), "posix_spawn_file_actions_addchdir_np")
        }
        try Self.check(Self.addCloseFrom(&actions, 3), "posix_spawn_file_actions_addclosefrom_np")

        var attributes = posix_spawnattr_t()
        try Self.check(posix_spawnattr_init(&attributes), "posix_spawnattr_init")
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, as Foundation's Process does: a Ctrl-C meant for the tests
        // does not reach it.
        try Self.check(posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP)), "setflags")

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        try Self.check(posix_spawn(&pid, path, &actions, &attributes, argv, envp), "posix_spawn \(path)")
        processIdentifier = pid

        let termination = self.termination
        Thread.detachNewThread { [pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
            let signal = status & 0x7F
            let ended: (Process.TerminationReason, Int32) =
                signal == 0 ? (.exit, (status >> 8) & 0xFF) : (.uncaughtSignal, signal)
            termination.condition.lock()
            termination.state.withLock { $0 = ended }
            termination.condition.broadcast()
            termination.condition.unlock()
            onExit?()
        }
    }

    var isRunning: Bool {
        termination.state.withLock { $0 == nil }
    }

    /// Waits for the child to end.
    func waitUntilExit() {
        termination.condition.lock()
        while termination.state.withLock({ $0 == nil }) { termination.condition.wait() }
        termination.condition.unlock()
    }

    /// Runs `path` to its end and returns its exit status and standard output (and standard
    /// error with `withStandardError`; otherwise it goes where this process's goes).
    static func output(
        of path: String, _ arguments: [String], environment: [String: String], standardInput: Int32? = nil,
        withStandardError: Bool = false
    ) throws -> (status: Int32, output: [UInt8]) {
        let pipe = try ChildPipe()
        let process: ChildProcess
        do {
            process = try ChildProcess(
                path, arguments, environment: environment, standardInput: standardInput, standardOutput: pipe.write,
                standardError: withStandardError ? pipe.write : nil)
        } catch {
            close(pipe.read)
            close(pipe.write)
            throw error
        }
        close(pipe.write)
        let printed = pipe.readToEnd()
        process.waitUntilExit()
        return (process.terminationStatus, printed)
    }

    /// The exit status, or the signal that ended it (after ``waitUntilExit()``).
    var terminationStatus: Int32 {
        termination.state.withLock { $0?.status ?? -1 }
    }

    var terminationReason: Process.TerminationReason {
        termination.state.withLock { $0?.reason ?? .exit }
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL, what) }
    }

    // glibc has both since 2.29 and 2.34, but its headers declare them only for _GNU_SOURCE,
    // which Swift's Glibc module does not set: they are looked up by name.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>)
        -> Int32

    private static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32)
        -> Int32
    {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return ENOSYS }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)(actions, from)
    }

    private static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        else { return ENOSYS }
        return path.withCString { unsafeBitCast(symbol, to: AddChdir.self)(actions, $0) }
    }
}

extension POSIXError {
    fileprivate init(_ code: POSIXErrorCode, _ what: String) {
        self.init(code, userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code.rawValue)))"])
    }
}

/// A pipe for a child's output (the child gets the write end by dup2).
struct ChildPipe {
    let read: Int32
    let write: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE, "pipe") }
        // Every child these tests start closes what it does not need anyway; this is for others.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        read = fds[0]
        write = fds[1]
    }

    /// Reads the read end to its end (the write end must be closed by then), then closes it.
    func readToEnd() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(read, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        close(read)
        return bytes
    }
}
