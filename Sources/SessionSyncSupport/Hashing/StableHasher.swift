/// FNV-1a, 64 bits: a hash that is the same in every process and release (unlike `Hasher`,
/// which is seeded per process), for fingerprints stored in the archive.
public struct StableHasher: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
    }

    public mutating func combine(_ text: String) {
        combine(text.utf8)
        // A separator byte that UTF-8 never produces, so ("ab","c") and ("a","bc") differ.
        combine(CollectionOfOne(0xFF))
    }

    public mutating func combine(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { combine($0) }
    }

    public mutating func combine(_ value: Double) {
        combine(Int64(bitPattern: value.bitPattern))
    }

    public mutating func combineNil() {
        combine(CollectionOfOne(0xFE))
    }

    /// The hash as 16 lowercase hex digits.
    public var hexDigest: String {
        let hex = String(state, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
