import Logging
import SyncEngine

/// The process's logging: one line per event on stderr, at a level the config (and a reload)
/// sets, with the config's secrets masked.
enum ProcessLogging {
    static let level = LogLevelControl(.info)
    static let redaction = ProcessRedactor()

    /// Call once, first thing in a command that logs.
    static func bootstrap(level initial: Logger.Level, redactor: SecretRedactor) -> Logger {
        level.level = initial
        redaction.include(redactor)
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, redaction: redaction) }
        return Logger(label: "sessionsync")
    }
}
