import GatewayCore
import GatewayProvision

extension APIProblem {
    /// The problem for a library error of a deployment operation. Messages written for people
    /// (busy, plan refused, no AMI, bad argument) are passed on; workspace and tool failures, whose
    /// messages can name server paths, become a generic 500.
    init(_ error: ProvisionError, deployment: DeploymentWorkspace?) {
        switch error.code {
        case .busy:
            if let deployment, let holder = deployment.lockHolder() {
                self.init(.deploymentBusy, "deployment \(deployment.name) is busy with run \(holder.runID) (\(holder.action.rawValue)); wait for it or cancel it", runningRun: holder.runID)
            } else {
                self.init(.deploymentBusy, "the deployment is busy with another run that is starting; try again in a moment")
            }
        case .planRejected:
            self.init(.planRejected, error.message)
        case .noImage:
            self.init(.noImage, error.message)
        case .invalidArgument:
            self.init(.malformedRequest, error.message)
        case .nodeBinaryRefused:
            self.init(.nodeBinaryRefused, error.message)
        case .deletionProtected:
            self.init(.conflict, error.message)
        case .notFound:
            self.init(.notFound, "no such resource")
        case .toolNotFound:
            self.init(.toolUnavailable, "terraform or packer is not installed where the server looks for it (PATH, GW_TERRAFORM, GW_PACKER)")
        default:
            self.init(.internalError, "the request could not be completed")
        }
    }
}

extension APIProblem {
    /// The problem for an error of an AWS operation (status, rollout). AWS's own error code and
    /// message are passed on (they name no secret); a missing deployment is a conflict; credentials
    /// or transport failures say so without their details.
    init(aws error: any Error) {
        switch error {
        case let error as OperationError:
            self.init(.notDeployed, "\(error.message) (\(error.hint))")
        case let error as AWSError:
            self.init(.awsError, "\(error.service) \(error.action) failed: \(error.code): \(error.message)" + (error.requestID.map { " (request id \($0))" } ?? ""))
        default:
            self.init(.awsUnavailable, "the server could not call AWS: check its credentials (environment, profile or instance role), region and network")
        }
    }
}
