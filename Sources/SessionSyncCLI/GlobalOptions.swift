import ArgumentParser

/// `--config` and `--database`, shared by every subcommand.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The config file (default: $SESSIONSYNC_CONFIG, then /etc/sessionsync/config.json).", valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The archive, overriding the config's \"database\": a SQLite file (or a postgres:// URL, which only "
                + "check-config supports so far).",
            valueName: "file"))
    var database: String?
}
