import SessionSyncSupport

/// One chat message (`messages`).
public struct MessageRecord: Sendable, Equatable {
    public var externalID: String
    public var sender: String?
    public var sentAt: Timestamp?
    public var contentType: String?
    public var body: String?
    public var raw: String

    public init(
        externalID: String, sender: String?, sentAt: Timestamp?, contentType: String?, body: String?, raw: String
    ) {
        self.externalID = externalID
        self.sender = sender
        self.sentAt = sentAt
        self.contentType = contentType
        self.body = body
        self.raw = raw
    }
}
