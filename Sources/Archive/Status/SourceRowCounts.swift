/// Row counts of one source's archive, for `status`.
public struct SourceRowCounts: Sendable, Equatable {
    public var sessions = 0
    public var liveSessions = 0
    public var participants = 0
    public var messages = 0
    public var pageHistory = 0
    public var timeline = 0
    public var transcripts = 0

    public init() {}
}
