import SessionSyncSupport

/// One line of a meeting transcript (`transcripts`); its position in the array is its `seq`.
public struct TranscriptLine: Sendable, Equatable {
    public var spokenAt: Timestamp?
    public var participantExternalID: String?
    public var speaker: String?
    public var text: String?

    public init(spokenAt: Timestamp?, participantExternalID: String?, speaker: String?, text: String?) {
        self.spokenAt = spokenAt
        self.participantExternalID = participantExternalID
        self.speaker = speaker
        self.text = text
    }
}
