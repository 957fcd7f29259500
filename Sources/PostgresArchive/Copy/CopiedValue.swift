import Foundation
import SQLiteDB
import SessionSyncSupport

/// A SQLite archive's value as the copy binds it for PostgreSQL, checked against what its column
/// holds: a time must read as a time and JSON must parse, so that a bad value is named with its
/// row before the server sees it. Texts and JSON go through ``PostgresStoredText`` on the way
/// (``PostgresParameter``), as the daemon's own writes do.
enum CopiedValue {
    /// The parameter for `value` in a column of `kind`; nil when the value cannot be one.
    static func parameter(_ value: SQLiteValue, _ kind: CopiedColumn.Kind) -> PostgresParameter? {
        switch (value, kind) {
        case (.null, .integer): .int(nil)
        case (.null, .real): .real(nil)
        case (.null, .json): .json(nil)
        case (.null, .time): .time(nil)
        case (.null, _): .text(nil)
        case (.integer(let integer), .integer): .int(integer)
        case (.integer(let integer), .real): .real(Double(integer))
        case (.integer(let integer), .text): .text("\(integer)")
        case (.real(let real), .real): .real(real)
        case (.real(let real), .text): .text("\(real)")
        case (.text(let text), .text): .text(text)
        case (.text(let text), .json): (try? JSONDocument(text: text)) == nil ? nil : .json(text)
        case (.text(let text), .time): Timestamp(iso8601: text).map { .time($0) }
        case (.blob(let bytes), .bytes): .bytes(bytes)
        default: nil
        }
    }

    /// What `value` is, for a message that must not quote a payload: `text that is not a time`.
    static func describe(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer: "an integer"
        case .real: "a real number"
        case .text(let text): "a text of \(text.utf8.count) byte(s)"
        case .blob(let bytes): "a blob of \(bytes.count) byte(s)"
        }
    }

    static func describe(_ kind: CopiedColumn.Kind) -> String {
        switch kind {
        case .integer: "an integer"
        case .real: "a number"
        case .text: "a text"
        case .json: "valid JSON"
        case .time: "an ISO-8601 time"
        case .bytes: "a blob"
        }
    }

    /// A key's value as written in a message: keys are ids, names and times, not payloads.
    static func describeKeyValue(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let integer): "\(integer)"
        case .real(let real): "\(real)"
        case .text(let text): "\"\(text)\""
        case .blob(let bytes): "x'" + bytes.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }
}
