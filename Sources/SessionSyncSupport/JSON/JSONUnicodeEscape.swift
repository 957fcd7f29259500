/// The four hex digits of a JSON `\uXXXX` escape: read where a string is decoded, and where the
/// PostgreSQL archive replaces the escapes its types cannot hold.
public enum JSONUnicodeEscape {
    /// The four hex digits at `start` of `bytes`, as a UTF-16 code unit; nil unless all four are hex.
    @inlinable
    public static func codeUnit<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at start: Int) -> UInt16?
    where Bytes.Index == Int {
        guard start >= bytes.startIndex, start + 4 <= bytes.endIndex else { return nil }
        var value: UInt16 = 0
        for byte in bytes[start..<(start + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
