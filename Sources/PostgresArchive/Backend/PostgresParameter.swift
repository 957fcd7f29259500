import Foundation
import PostgresNIO
import SQLiteDB
import SessionSyncSupport

/// One value bound to a statement of the PostgreSQL archive (`$1`, `$2` … in order).
///
/// Values are always parameters, never SQL text. Texts go through ``PostgresStoredText`` (no
/// U+0000), times are bound as their ISO-8601 text for a `::timestamptz` cast, and a value stored
/// the SQLite way (``SessionRecord/storedValue(of:)``, ``ChildTableLayout``) is bound for its
/// column's type.
enum PostgresParameter: Sendable {
    case text(String?)
    /// JSON text, for a `::jsonb` parameter.
    case json(String?)
    case time(Timestamp?)
    case int(Int64?)
    case real(Double?)
    case bytes([UInt8])
    /// A `text[]` parameter (`= ANY($1::text[])`).
    case texts([String])
    /// A `bigint[]` parameter.
    case ints([Int64])
    /// A `text[]` parameter whose elements may be NULL: one column of a batch's rows, unnested.
    case nullableTexts([String?])
    /// A `text[]` parameter of times (or NULLs), for a `::timestamptz` cast of each element.
    case times([Timestamp?])
    /// A `bigint[]` parameter whose elements may be NULL.
    case nullableInts([Int64?])
    /// A value as the SQLite archive stores it, for a column of `type`.
    case stored(SQLiteValue, PostgresColumnType)

    func append(to bindings: inout PostgresBindings) throws {
        switch self {
        case .text(let value): bindings.append(value.map(PostgresStoredText.text))
        case .json(let value): bindings.append(value.map(PostgresStoredText.json))
        case .time(let value): bindings.append(value?.iso8601)
        case .int(let value): bindings.append(value)
        // SQLite stores a NaN as NULL; PostgreSQL would keep it (and call two NaNs equal).
        case .real(let value): bindings.append(value.flatMap { $0.isNaN ? nil : $0 })
        case .bytes(let value): try bindings.append(Data(value))
        case .texts(let values): bindings.append(values.map(PostgresStoredText.text))
        case .ints(let values): bindings.append(values)
        case .nullableTexts(let values):
            bindings.append(PostgresNullableArray(values.map { $0.map(PostgresStoredText.text) }))
        case .times(let values): bindings.append(PostgresNullableArray(values.map { $0?.iso8601 }))
        case .nullableInts(let values): bindings.append(PostgresNullableArray(values))
        case .stored(let value, let type):
            switch value {
            case .null: bindings.appendNull()
            case .integer(let integer): bindings.append(integer)
            case .real(let real): try Self.real(real).append(to: &bindings)
            case .text(let text): try (type == .jsonb ? Self.json(text) : Self.text(text)).append(to: &bindings)
            case .blob(let bytes): try bindings.append(Data(bytes))
            }
        }
    }
}
