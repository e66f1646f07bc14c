import ArgumentParser

/// Options shared by the commands that work on deployment workspaces.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .customLong("workspace-root"), help: "Directory of the deployment workspaces (default: $GW_HOME, else ~/.gateway).")
    var workspaceRoot: String?
}

/// Options shared by the commands that start a run.
struct RunOptions: ParsableArguments {
    @Flag(help: "Stream the run's events as JSON lines instead of human-readable progress.")
    var json = false

    @Option(
        name: .customLong("bundle"),
        help: ArgumentHelp(
            "Use this bundle (from `gw-cli render --out DIR`, possibly reviewed or adjusted) instead of rendering the config.",
            valueName: "DIR"))
    var bundleDirectory: String?
}
