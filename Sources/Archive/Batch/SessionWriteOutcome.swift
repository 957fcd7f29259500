/// What writing one session record did to its `sessions` row, a changed child set counting as a
/// change of the session.
public enum SessionWriteOutcome: Sendable, Equatable {
    case inserted, changed, unchanged
}
