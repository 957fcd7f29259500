import Crypto

/// How a tombstone names a session: HMAC-SHA256 over its source's id and its external id, keyed
/// with the archive's own random key (`tombstone_key`), so the erased id is never stored in clear.
///
/// Why not ``StableHasher``, the repository's other hash: it is FNV-1a, which is neither keyed nor
/// one-way. Session ids are short and guessable (`ses_…`, numbers), so anyone could hash a list of
/// candidates and compare, and FNV-1a can even be run backwards byte by byte; an HMAC built on it
/// would inherit both. A keyed one-way hash can only be tested by someone who holds the key, and
/// a copy of the tombstones alone matches nothing (nor any other archive's tombstones). SHA-256
/// and HMAC come from swift-crypto, which the package graph already builds and links for
/// async-http-client (swift-certificates): the smallest correct thing is to use it, not to write
/// cryptographic code by hand.
public struct TombstoneDigest: Sendable {
    private let key: SymmetricKey

    public init(key: [UInt8]) {
        self.key = SymmetricKey(data: key)
    }

    /// A new random key, from the system's cryptographic random source.
    public static func newKey() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// The 32-byte digest of one session.
    public func digest(sourceID: Int64, externalID: String) -> [UInt8] {
        // The source's id in digits, a NUL that neither part contains, then the id's UTF-8 bytes.
        var message = Array(String(sourceID).utf8)
        message.append(0)
        message.append(contentsOf: externalID.utf8)
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }
}
