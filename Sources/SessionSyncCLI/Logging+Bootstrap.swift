import Logging
import SyncEngine

/// The process's logging: one line per event on stderr, at a level the config (and a reload) sets.
enum ProcessLogging {
    static let level = LogLevelControl(.info)

    /// Call once, first thing in a command that logs.
    static func bootstrap(level initial: Logger.Level) -> Logger {
        level.level = initial
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level) }
        return Logger(label: "sessionsync")
    }
}
