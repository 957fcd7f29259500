/// What `check-config --probe` learned from one source, worded for the terminal, secrets masked.
public enum ProbeOutcome: Sendable, Equatable {
    /// The API answered; what it said (e.g. how many sessions it lists).
    case answered(String)
    /// The API refused the key (401 or 403): the config needs fixing.
    case refused(String)
    /// The API could not be reached or answered with an error.
    case failed(String)
}
