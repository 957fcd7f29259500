/// Decodes the escapes of a JSON string's content (between its quotes).
enum JSONStringDecoder {
    static func decode(_ content: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(content.count)
        var position = 0
        let count = content.count
        while position < count {
            let byte = content[position]
            guard byte == UInt8(ascii: "\\"), position + 1 < count else {
                output.append(byte)
                position += 1
                continue
            }
            let escape = content[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard let high = JSONUnicodeEscape.codeUnit(content, at: position) else { break }
                position += 4
                var scalarValue = UInt32(high)
                if (0xD800..<0xDC00).contains(high), position + 5 < count,
                    content[position] == UInt8(ascii: "\\"), content[position + 1] == UInt8(ascii: "u"),
                    let low = JSONUnicodeEscape.codeUnit(content, at: position + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalarValue = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    position += 6
                }
                // A lone surrogate cannot be represented in UTF-8: it becomes U+FFFD, as JSON
                // decoders commonly do.
                let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                output.append(escape)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
