import Foundation
import GatewayProvision
import Testing

@Suite struct ToolLocationTests {
    private func executable(_ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try "#!/bin/sh\nexit 0\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    @Test func findsTerraformByVariableThenPathThenOpenTofu() throws {
        let directory = try ProvisionTestSupport.temporaryDirectory("tools")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("first")
        let second = directory.appendingPathComponent("second")
        try FileManager.default.createDirectory(at: first, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)
        let tofu = try executable("tofu", in: first)
        let terraform = try executable("terraform", in: second)
        let path = "\(first.path):\(second.path)"

        #expect(try TerraformTool.locate(environment: ["PATH": path]).path == terraform)
        #expect(try TerraformTool.locate(environment: ["PATH": first.path]).path == tofu)
        #expect(try TerraformTool.locate(environment: ["PATH": path, "GW_TERRAFORM": "tofu"]).path == tofu)
        #expect(try TerraformTool.locate(environment: ["PATH": "", "GW_TERRAFORM": terraform]).path == terraform)
        do {
            _ = try TerraformTool.locate(environment: ["PATH": path, "GW_TERRAFORM": "/nonexistent/terraform"])
            Issue.record("a missing GW_TERRAFORM was accepted")
        } catch let error as ProvisionError {
            #expect(error.code == .toolNotFound && error.message.contains("GW_TERRAFORM=/nonexistent/terraform"))
        }
        do {
            _ = try TerraformTool.locate(environment: ["PATH": directory.path])
            Issue.record("terraform was found where there is none")
        } catch let error as ProvisionError {
            #expect(error.message.contains("set GW_TERRAFORM"))
        }
    }

    @Test func findsPackerByVariableThenPath() throws {
        let directory = try ProvisionTestSupport.temporaryDirectory("packer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let packer = try executable("packer", in: directory)
        #expect(try PackerTool.locate(environment: ["PATH": directory.path]).path == packer)
        #expect(try PackerTool.locate(environment: ["PATH": "", "GW_PACKER": packer]).path == packer)
        #expect(throws: ProvisionError.self) { try PackerTool.locate(environment: ["PATH": "/nonexistent"]) }
        #expect(throws: ProvisionError.self) { try PackerTool.locate(environment: ["PATH": directory.path, "GW_PACKER": directory.path]) }
    }

    @Test func theStateOverridePointsAtTheStateFileWithHCLEscaping() {
        let text = TerraformDriver.localStateOverride(path: #"/srv/a "b" ${x} %{y}\z/terraform.tfstate"#)
        #expect(text.contains(#"path = "/srv/a \"b\" $${x} %%{y}\\z/terraform.tfstate""#))
        #expect(text.contains(#"backend "local""#))
    }
}
