import NIOCore

/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN`: fields separated by tabs, rows
/// ended by a newline, NULL as `\N`, and a backslash, tab, newline or carriage return inside a
/// value escaped with a backslash (<https://www.postgresql.org/docs/current/sql-copy.html>).
struct CopyRows {
    enum Field {
        case text(String?)
        case int(Int64)
        case real(Double)
    }

    private(set) var buffer = ByteBuffer()

    mutating func row(_ fields: Field...) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch field {
            case .text(nil): buffer.writeStaticString("\\N")
            case .text(let text?): write(escaping: text)
            case .int(let value): buffer.writeString(String(value))
            case .real(let value): buffer.writeString(String(value))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// Most values (JSON without escapes, names, times) need no escape: they are copied whole.
    private mutating func write(escaping text: String) {
        let special: (UInt8) -> Bool = { $0 == UInt8(ascii: "\\") || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard text.utf8.contains(where: special) else {
            buffer.writeString(text)
            return
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x09: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: escaped.append(byte)
            }
        }
        buffer.writeBytes(escaped)
    }
}
