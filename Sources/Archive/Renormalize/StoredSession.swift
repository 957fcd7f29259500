/// What the archive keeps of one session's payloads, read back for `renormalize`: everything a
/// provider maps its columns and child sets from, without asking upstream again.
public struct StoredSession: Sendable {
    public let externalID: String
    public let kind: SessionKind?
    public let status: String?
    /// The provider's payload for the session, verbatim (`sessions.raw`).
    public let raw: String
    /// The per-session details payload, verbatim (`sessions.detail_raw`).
    public let detailRaw: String?
    /// `participants.raw` of each participant, in the order they were written.
    public let participantRaws: [String]
    /// `messages.raw` of each message, in the order they were written.
    public let messageRaws: [String]

    public init(
        externalID: String, kind: SessionKind?, status: String?, raw: String, detailRaw: String?,
        participantRaws: [String] = [], messageRaws: [String] = []
    ) {
        self.externalID = externalID
        self.kind = kind
        self.status = status
        self.raw = raw
        self.detailRaw = detailRaw
        self.participantRaws = participantRaws
        self.messageRaws = messageRaws
    }
}
