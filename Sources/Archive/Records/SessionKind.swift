/// What a session is, as the `sessions.kind` column says it.
public enum SessionKind: String, Sendable, CaseIterable {
    /// An OpenReplay live web session.
    case web
    /// RealtimeKit session types.
    case meeting, livestream, participant
    /// A YourGPT chatbot conversation.
    case chat
    /// An isnotai activity session.
    case activity
}
