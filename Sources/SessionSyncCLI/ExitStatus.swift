import ArgumentParser

/// The exit statuses of the contract.
enum ExitStatus {
    /// EX_CONFIG: the unit's RestartPreventExitStatus=78 stops systemd from restart-looping on it.
    static let badConfig = ExitCode(78)
    static let failure = ExitCode(1)
}
