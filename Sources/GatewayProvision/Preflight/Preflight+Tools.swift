import Foundation
import GatewayCore

extension Preflight {
    /// terraform (or OpenTofu) found where deployments look for it, and recent enough.
    func terraformCheck() async -> PreflightCheck {
        let id = PreflightCheck.ID.terraform
        let title = "terraform is installed"
        let minimum = Self.minimumTerraform.map(String.init).joined(separator: ".")
        let install = "install Terraform \(minimum) or later (or OpenTofu), on PATH or named by \(TerraformTool.overrideVariable)"
        let tool: TerraformTool
        do {
            tool = try TerraformTool.locate(environment: environment)
        } catch {
            return PreflightCheck(id: id, title: title, status: .fail, found: "not found", fix: install, detail: "\(error)")
        }
        let command = ProcessCommand(
            executable: tool.path, arguments: ["version", "-json"],
            environment: TerraformDriver.environment(from: environment, dataDirectory: nil), timeout: options.toolLimit)
        let result: ProcessResult
        do {
            result = try await ProcessRunner(logger: logger).run(command)
        } catch {
            return PreflightCheck(id: id, title: title, status: .fail, found: "it does not start", fix: install, detail: "\(tool.path): \(error)")
        }
        struct Version: Decodable {
            var terraformVersion: String
            enum CodingKeys: String, CodingKey { case terraformVersion = "terraform_version" }
        }
        guard result.exit.succeeded,
            let version = try? JSONDecoder().decode(Version.self, from: Data(result.outputText.utf8)).terraformVersion
        else {
            return PreflightCheck(
                id: id, title: title, status: .fail, found: "it does not print its version (version -json)", fix: install,
                detail: "\(tool.path): \(result.exit)")
        }
        guard Self.isAtLeast(version, Self.minimumTerraform) else {
            return PreflightCheck(id: id, title: title, status: .fail, found: "terraform \(version), older than \(minimum)", fix: install, detail: tool.path)
        }
        return PreflightCheck(id: id, title: title, status: .ok, found: "terraform \(version)", detail: tool.path)
    }

    /// packer found and recent enough. Only image builds need it, so a missing packer is a warning.
    func packerCheck() async -> PreflightCheck {
        let id = PreflightCheck.ID.packer
        let title = "packer is installed (for image builds)"
        let minimum = Self.minimumPacker.map(String.init).joined(separator: ".")
        let install = "install Packer \(minimum) or later, on PATH or named by \(PackerTool.overrideVariable)"
        let tool: PackerTool
        do {
            tool = try PackerTool.locate(environment: environment)
        } catch {
            return PreflightCheck(
                id: id, title: title, status: .warn, found: "not found: images cannot be built here (deploying an existing image works)",
                fix: install, detail: "\(error)")
        }
        let command = ProcessCommand(
            executable: tool.path, arguments: ["version"], environment: PackerDriver.environment(from: environment),
            timeout: options.toolLimit)
        let result: ProcessResult
        do {
            result = try await ProcessRunner(logger: logger).run(command)
        } catch {
            return PreflightCheck(id: id, title: title, status: .warn, found: "it does not start", fix: install, detail: "\(tool.path): \(error)")
        }
        // "Packer v1.11.2" (perhaps followed by a notice about newer versions).
        let line = result.standardOutput.first { $0.hasPrefix("Packer v") }
        guard result.exit.succeeded, let version = line.map({ String($0.dropFirst("Packer v".count)) }) else {
            return PreflightCheck(
                id: id, title: title, status: .warn, found: "it does not print its version (version)", fix: install,
                detail: "\(tool.path): \(result.exit)")
        }
        guard Self.isAtLeast(version, Self.minimumPacker) else {
            return PreflightCheck(id: id, title: title, status: .warn, found: "packer \(version), older than \(minimum)", fix: install, detail: tool.path)
        }
        return PreflightCheck(id: id, title: title, status: .ok, found: "packer \(version)", detail: tool.path)
    }

    /// Whether the leading numbers of `version` (`1.9.8`, `1.11.2 (fake)`, `1.10.0-beta1`) are at least `minimum`.
    static func isAtLeast(_ version: String, _ minimum: [Int]) -> Bool {
        let numbers =
            version.split(whereSeparator: { !$0.isNumber && $0 != "." }).first.map {
                $0.split(separator: ".").compactMap { Int($0) }
            } ?? []
        guard !numbers.isEmpty else { return false }
        for (index, wanted) in minimum.enumerated() {
            let have = index < numbers.count ? numbers[index] : 0
            if have != wanted { return have > wanted }
        }
        return true
    }
}
