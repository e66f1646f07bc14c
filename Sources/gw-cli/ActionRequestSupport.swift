import ArgumentParser
import Foundation
import GatewayProvision

/// How the command line turns its flags into the library's action request and reports the
/// library's problems: in the command line's own terms (flags), with the library's codes.
enum ActionRequestSupport {
    /// The flag that gives an option.
    static func flag(_ option: ActionOption) -> String {
        switch option {
        case .action: "the command"
        case .amiId: "--ami"
        case .planRun: "--plan"
        case .autoApprove: "--auto-approve"
        case .confirm: "--confirm"
        case .destroy: "--destroy"
        case .minHealthy: "--min-healthy"
        case .checkpoints: "--checkpoints"
        case .pollSeconds: "--poll-seconds"
        case .timeoutMinutes: "--timeout-minutes"
        case .nodeBinary: "--node-binary"
        }
    }

    /// `error: --ami: "ami-1" is not an AMI ID (use ami- ...) [invalid-ami-id]`.
    static func line(_ problem: ActionProblem) -> String {
        "error: \(flag(problem.option)): \(problem.message) (\(problem.hint)) [\(problem.code.rawValue)]"
    }

    /// The validated action, or every problem printed and exit status 2 (a usage error).
    static func validated(_ request: DeploymentActionRequest, deployment: String) throws -> DeploymentAction {
        switch request.validated(deployment: deployment) {
        case .success(let action):
            return action
        case .failure(let error):
            report(error)
            throw ExitCode(2)
        }
    }

    /// Prints every problem.
    static func report(_ error: ActionProblems) {
        for problem in error.problems { Terminal.error(line(problem)) }
    }

    /// A path from the command line, made absolute against the current directory.
    static func absolutePath(_ path: String?) -> String? {
        guard let path, !path.isEmpty else { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
