import ArgumentParser

/// `sessionsync`: the root of the command tree.
public struct SessionSyncCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sessionsync",
        abstract: "Keep a queryable SQLite archive of the sessions your SaaS tools hold.",
        discussion: """
            sessionsync polls OpenReplay Assist, isnotai, Cloudflare RealtimeKit and YourGPT on a schedule and \
            archives their sessions, participants, page history, timelines, event counts and messages into one \
            SQLite file that sqlite3 and BI tools can read while it runs.

            Every command reads the config from --config FILE, else $SESSIONSYNC_CONFIG, else \
            /etc/sessionsync/config.json. Exit status 78 means the config is invalid.
            """,
        subcommands: [
            RunCommand.self,
            SyncCommand.self,
            MigrateCommand.self,
            CopyCommand.self,
            CheckConfigCommand.self,
            StatusCommand.self,
            EnqueueCommand.self,
            ResetCursorCommand.self,
            EraseCommand.self,
            RenormalizeCommand.self,
            DemoCommand.self,
        ]
    )

    public init() {}
}
