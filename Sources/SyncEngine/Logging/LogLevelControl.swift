import Foundation
import Logging

/// The level every ``LineLogHandler`` of the process logs at, changeable while running.
/// Sendable because `current` is only read or written while holding `lock`.
public final class LogLevelControl: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var current: Logger.Level

    public init(_ level: Logger.Level) {
        current = level
    }

    public var level: Logger.Level {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
