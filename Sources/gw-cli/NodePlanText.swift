import GatewayCore
import GatewayNode

/// Text output of `gw-cli node plan` and the node commands' errors.
enum NodePlanText {
    static func render(_ document: PlanDocument) -> String {
        var lines = ["Plan for \(document.deployment) (root \(document.root)): \(document.steps.count) steps"]
        for note in document.notes { lines.append("  note: \(note)") }
        if !document.secrets.isEmpty { lines.append("  secrets resolved at apply: \(document.secrets.joined(separator: ", "))") }
        for step in document.steps {
            lines.append("")
            lines.append("\(step.number). [\(step.phase.rawValue)] \(step.id): \(step.title)")
            for operation in step.operations {
                lines.append("     \(operation.summary)")
                if case .writeFile(_, _, let contents) = operation {
                    for line in contents.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                        lines.append("       | \(line)")
                    }
                }
            }
            for note in step.notes { lines.append("     (\(note))") }
        }
        return lines.joined(separator: "\n")
    }

    static func report(_ error: any Error) {
        if let input = error as? NodeInputError {
            for problem in input.problems { Terminal.error("error: \(problem)") }
        } else {
            Terminal.error("error: \(error)")
        }
    }
}
