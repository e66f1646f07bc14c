import ArgumentParser
import Foundation
import GatewayCore
import GatewayProvision

/// Runs one deploy operation from a command: progress on the terminal (or JSON lines), Ctrl-C
/// cancels it cleanly, exit status 0 only when the run succeeded.
enum RunExecution {
    static func execute(
        context: DeploymentContext,
        options: RunOptions,
        _ operation: @escaping @Sendable (DeploymentOperations, @escaping RunEventHandler) async throws -> RunRecord
    ) async throws -> RunRecord {
        let printer = RunProgressPrinter(json: options.json, live: Terminal.isInteractive, file: context.file)
        let operations = context.operations
        let record = try await DeploymentContext.provision {
            try await RunInterruption.run(
                tick: { printer.tick() },
                onInterrupt: { count in
                    printer.clearStatus()
                    Terminal.error(
                        count == 1
                            ? "canceling: the tool is stopping gracefully (terraform finishes the operations in flight and saves its state)"
                            : "still stopping; the tool gets SIGTERM and then SIGKILL if it does not end within its grace periods")
                }
            ) {
                try await operation(operations, printer.handler)
            }
        }
        printer.clearStatus()
        return record
    }

    /// Fails the command unless the run succeeded.
    static func exit(for record: RunRecord) throws {
        guard record.status == .succeeded else { throw ExitCode.failure }
    }
}
