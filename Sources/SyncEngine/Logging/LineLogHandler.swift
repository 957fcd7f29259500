import Foundation
import Logging
import SessionSyncSupport

/// Writes each log event as one line on stderr, readable in journald:
/// `info source=meetings run=12: pass finished sessions.upserted=40 requests=7`.
///
/// Under systemd (`$JOURNAL_STREAM` set) the journal adds time and priority itself, so the line
/// leaves them out and starts with a syslog priority prefix (`<6>`) that journald understands.
///
/// The message and every metadata value pass through the process's ``SecretRedactor``: whatever
/// a component logs (an error's text, a request detail), no secret reaches the journal.
public struct LineLogHandler: LogHandler {
    /// Reads and sets the process-wide level, so a config reload changes every logger at once.
    public var logLevel: Logger.Level {
        get { level.level }
        set { level.level = newValue }
    }
    private let level: LogLevelControl
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let underJournal: Bool
    private let sink: LogSink
    private let redaction: ProcessRedactor

    public init(
        label: String, level: LogLevelControl, redaction: ProcessRedactor,
        underJournal: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil,
        sink: LogSink = .standardError
    ) {
        self.label = label
        self.level = level
        self.redaction = redaction
        self.underJournal = underJournal
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = ""
        if underJournal {
            line += "<\(Self.syslogPriority(event.level))>"
        } else {
            line += Timestamp.now().iso8601 + " "
        }
        line += event.level.rawValue
        let redactor = redaction.redactor
        // Source and run first: they are what an operator filters on.
        for key in ["source", "run"] {
            if let value = merged.removeValue(forKey: key) { line += " \(key)=\(redactor.redact("\(value)"))" }
        }
        line += ": " + Self.oneLine(redactor.redact("\(event.message)"))
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quoted(Self.oneLine(redactor.redact("\(merged[key]!)"))))"
        }
        sink.write(line + "\n")
    }

    private static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " | ")
    }

    private static func quoted(_ text: String) -> String {
        guard text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    private static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}

/// Where log lines go: stderr, or a buffer tests read.
public struct LogSink: Sendable {
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    func write(_ line: String) {
        write(line)
    }

    public static let standardError = LogSink { line in
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Foundation.write(2, $0.baseAddress, $0.count) }
    }
}
