import Foundation
import GatewayCore
import GatewayProvision
import Testing

/// The real third-party checkers on rendered bundles: Terraform's formatter and structural validate,
/// checkov, shellcheck and systemd-analyze. A missing tool fails the test with the install hint.
@Suite("Third-party checks of rendered bundles")
struct ExternalCheckTests {
    /// Renders every variant into `<root>/<name>`.
    static func renderVariants() throws -> (root: String, variants: [RenderVariants.Variant]) {
        let root = try TestSupport.temporaryDirectory(prefix: "variants")
        let variants = try RenderVariants.all()
        for variant in variants {
            let problems = ConfigValidator().validate(variant.config).filter { $0.severity == .error }
            #expect(problems.isEmpty, "variant \(variant.name) is invalid: \(problems)")
            try BundleRenderer.render(variant.config).write(to: URL(fileURLWithPath: root + "/" + variant.name), force: false)
        }
        return (root, variants)
    }

    @Test("terraform fmt finds nothing to change and validate finds no structural error")
    func formatAndValidate() throws {
        let (root, variants) = try Self.renderVariants()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let format = try TestSupport.check("hcl-fmt-check.py", variants.flatMap { [root + "/\($0.name)/terraform", root + "/\($0.name)/packer"] })
        #expect(format.status == 0, "terraform fmt would change rendered files:\n\(format.output)")
        for variant in variants {
            let validate = try TestSupport.check("tf-validate.py", [root + "/\(variant.name)/terraform", "--root", root + "/\(variant.name)"])
            #expect(validate.status == 0, "terraform validate on \(variant.name):\n\(validate.output)")
        }
    }

    /// `variables.tf` needs no provider, so real Terraform can evaluate its validation rules against the
    /// rendered `terraform.tfvars.json`: every variant's values must pass, and a weak TLS policy must not.
    @Test("the variables' validation rules accept the rendered values and reject bad ones")
    func variableValidation() throws {
        let (root, variants) = try Self.renderVariants()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let terraform = TestSupport.path("scripts/checks/terraform.py")
        func apply(_ variant: String, tfvars: String? = nil) throws -> TestSupport.Run {
            let directory = root + "/variables-\(variant)-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: root + "/\(variant)/terraform/variables.tf", toPath: directory + "/variables.tf")
            let values = try tfvars ?? String(contentsOfFile: root + "/\(variant)/terraform/terraform.tfvars.json", encoding: .utf8)
            try values.write(toFile: directory + "/terraform.tfvars.json", atomically: true, encoding: .utf8)
            return try TestSupport.run(try TestSupport.python(), [terraform, "-chdir=\(directory)", "apply", "-auto-approve", "-input=false", "-no-color"])
        }
        for variant in variants {
            let run = try apply(variant.name)
            #expect(run.status == 0, "\(variant.name): the rendered values fail the variables' validation:\n\(run.output)")
        }
        let values = try String(contentsOfFile: root + "/example/terraform/terraform.tfvars.json", encoding: .utf8)
        let weak = try apply("example", tfvars: values.replacingOccurrences(of: "ELBSecurityPolicy-TLS13-1-2-2021-06", with: "ELBSecurityPolicy-2016-08"))
        #expect(weak.status != 0 && Self.words(weak.output).contains("tls_policy must allow only TLS 1.2 and newer"), "\(weak.output)")
        let noImage = try apply("example", tfvars: values.replacingOccurrences(of: "ami-0123456789abcdef0", with: ""))
        #expect(noImage.status != 0 && Self.words(noImage.output).contains("build one with `gw-cli ami build`"), "\(noImage.output)")
    }

    /// Text with every run of whitespace made one space (Terraform wraps long messages).
    static func words(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("validate reports a structural error")
    func validateCanFail() throws {
        let (_, directory) = try TestSupport.writtenBundle(try TestSupport.exampleConfig(), prefix: "validate-bad")
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let network = directory + "/terraform/network.tf"
        let text = try String(contentsOfFile: network, encoding: .utf8)
        try (text + "\nresource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n").write(toFile: network, atomically: true, encoding: .utf8)
        let validate = try TestSupport.check("tf-validate.py", [directory + "/terraform", "--root", directory])
        #expect(validate.status == 2)
        #expect(validate.output.contains("Duplicate resource"))
    }

    static func documentedExceptions() throws -> Set<String> {
        let text = try String(contentsOfFile: TestSupport.path("docs/security-exceptions.md"), encoding: .utf8)
        return Set(
            text.split(separator: "\n").compactMap { line -> String? in
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let first = cells.first, first.hasPrefix("CKV") else { return nil }
                return first
            })
    }

    /// Every variant is scanned as rendered: no check fails, and the few checks that cannot apply are
    /// skipped inline in the HCL (`#checkov:skip=ID:reason`), each with its reason; the page
    /// docs/security-exceptions.md lists exactly those. Without access logs the scan fails: it bites.
    @Test("checkov: nothing fails in any variant; the inline skips carry reasons and are documented")
    func checkov() throws {
        let (root, variants) = try Self.renderVariants()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var skippedByVariant: [String: Set<String>] = [:]
        for variant in variants {
            let scan = try TestSupport.check("checkov-scan.sh", [root + "/\(variant.name)/terraform"])
            #expect(scan.status == 0 && scan.stdout.contains("failed=0 ") && scan.stdout.contains("parsing_errors=0"), "\(variant.name):\n\(scan.output.suffix(3000))")
            for line in scan.stdout.split(separator: "\n") where line.hasPrefix("checkov: SKIPPED ") {
                let id = String(line.dropFirst("checkov: SKIPPED ".count).prefix { $0 != ":" })
                let reason = line.drop { $0 != "(" }
                #expect(reason.count > 20 && !reason.contains("no reason given"), "\(variant.name): \(id) is skipped without a reason: \(line)")
                skippedByVariant[variant.name, default: []].insert(id)
            }
        }
        let allSkipped = skippedByVariant.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        #expect(allSkipped == (try Self.documentedExceptions()), "docs/security-exceptions.md must list exactly the inline skips: \(allSkipped.sorted())")
        let example = skippedByVariant["example"] ?? []
        #expect(example.count <= 5, "the example skips \(example.sorted())")
        print("checkov: 0 failed in \(variants.count) variants; skipped checks: example \(example.sorted()), all variants \(allSkipped.sorted())")

        // The scan finds what is missing: the example without access logs fails CKV_AWS_91.
        var withoutLogs = try TestSupport.exampleConfig()
        withoutLogs.loadBalancer.accessLogs = false
        let (_, directory) = try TestSupport.writtenBundle(withoutLogs, prefix: "checkov-no-logs")
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let bare = try TestSupport.check("checkov-scan.sh", [directory + "/terraform"])
        #expect(bare.status == 1 && bare.stdout.contains("checkov: FAILED CKV_AWS_91: aws_lb.s3"), "\(bare.stdout.suffix(2000))")
    }

    @Test("shellcheck finds nothing in any rendered script")
    func shellcheck() throws {
        let (root, variants) = try Self.renderVariants()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shellcheck = try TestSupport.tool("shellcheck")
        var scripts: [String] = []
        for variant in variants {
            let bundle = try BundleRenderer.render(variant.config)
            scripts += bundle.files.filter { $0.isExecutable }.map { root + "/\(variant.name)/" + $0.path }
        }
        #expect(scripts.count == variants.count * 2, "each bundle has its boot script and the image provisioning script")
        let run = try TestSupport.run(shellcheck, ["--severity=style", "--format=gcc"] + scripts)
        #expect(run.status == 0 && run.output.isEmpty, "shellcheck:\n\(run.output)")
        let broken = root + "/broken.sh"
        try "#!/bin/bash\nfor f in $(ls *.txt); do echo $f; done\n".write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(try TestSupport.run(shellcheck, ["--severity=style", broken]).status != 0)
    }

    @Test("systemd-analyze verify prints nothing for any rendered unit")
    func systemdUnits() throws {
        let (root, variants) = try Self.renderVariants()
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try TestSupport.tool("systemd-analyze")
        for variant in variants {
            let run = try TestSupport.check("verify-units.sh", [root + "/\(variant.name)/node/systemd"])
            #expect(run.status == 0, "units of \(variant.name):\n\(run.output)")
        }
        let broken = root + "/broken-units"
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        let unit = try String(contentsOfFile: root + "/example/node/systemd/gateway-proxy.service", encoding: .utf8)
        try unit.replacingOccurrences(of: "RestartSec=", with: "RestartSecs=").write(toFile: broken + "/gateway-proxy.service", atomically: true, encoding: .utf8)
        let failing = try TestSupport.check("verify-units.sh", [broken])
        #expect(failing.status == 1 && failing.output.contains("RestartSecs"))
    }
}
