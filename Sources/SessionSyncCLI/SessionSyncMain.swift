import ArgumentParser

/// The executable's whole body, so that the `sessionsync` target holds no logic.
public enum SessionSyncMain {
    public static func run() async {
        await SessionSyncCommand.main()
    }
}
