import SessionSyncCLI

await SessionSyncMain.run()
