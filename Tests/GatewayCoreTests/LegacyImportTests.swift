import Foundation
import Testing

@testable import GatewayCore

/// Importing the reference system's config_vars.txt without executing it.
struct LegacyImportTests {
    @Test func importsTheReferenceFormat() throws {
        let result = LegacyConfigImporter.importText(try TestSupport.fixture("legacy_config_vars.txt"))
        let config = result.config
        var expected = GatewayConfig()
        expected.aws.accessKeyId = Secret(source: .literal("AKIAIOSFODNN7EXAMPLE"))
        expected.aws.secretAccessKey = Secret(source: .literal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
        expected.project.region = "eu-west-1"
        expected.compute.instanceTypes = ["m6id.2xlarge"]
        expected.compute.minSize = 1
        expected.compute.maxSize = 4
        expected.compute.desiredCapacity = 2
        expected.filespaces = [
            FilespaceSettings(name: "studio.dmpfs", user: "ops@studio.example", password: Secret(source: .literal("<YOUR_LUCIDLINK_PASSWORD>")), rootPoint: "/projects", clientVersion: 2)
        ]
        expected.gateway.rootAccessKey = Secret(source: .literal("<YOUR_S3_ACCESS_KEY>"))
        expected.gateway.rootSecretKey = Secret(source: .literal("s3cr3t \"quoted\" $(rm -rf /)"))
        expected.gateway.virtualDomain = "s3.studio.example"
        expected.dns.zoneName = "studio.example"
        expected.monitoring.prometheus = true
        expected.monitoring.cloudWatch = true
        #expect(config == expected)
        #expect(result.notices.contains { $0.contains("GRAFANA_PASSWORD dropped") })
        #expect(result.notices.contains { $0.contains("unknown key SOMETHING_NEW") })
        #expect(result.notices.contains { $0.contains("not a KEY=value assignment") })
        #expect(result.notices.contains { $0.contains("VGW_IAM_DIR") })
    }

    @Test func commandSubstitutionStaysInert() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("gw-legacy-\(UUID().uuidString)").path
        let text = "FILESPACE1=\"$(touch \(marker))\"\nFSUSER1=`touch \(marker)`\nLLPASSWD1='${HOME}'\n"
        let result = LegacyConfigImporter.importText(text)
        #expect(result.config.filespaces[0].name == "$(touch \(marker))")
        #expect(result.config.filespaces[0].user == "`touch \(marker)`")
        #expect(result.config.filespaces[0].password == Secret(source: .literal("${HOME}")))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func placeholdersAreKeptAndFlagged() throws {
        let result = LegacyConfigImporter.importText(try TestSupport.fixture("legacy_config_vars.txt"))
        let problems = ConfigValidator().validate(result.config)
        #expect(problems.contains { $0.path == "filespaces[0].password" && $0.message.contains("template placeholder") })
        #expect(problems.contains { $0.path == "gateway.rootAccessKey" && $0.message.contains("template placeholder") })
    }

    @Test func importedYAMLReloadsEqual() throws {
        let result = LegacyConfigImporter.importText(try TestSupport.fixture("legacy_config_vars.txt"))
        let yaml = try ConfigYAMLWriter.yaml(for: result.config, revealingSecretLiterals: true)
        #expect(try ConfigLoader.load(text: yaml).config == result.config)
    }

    @Test func badNumbersBecomeNotices() {
        let result = LegacyConfigImporter.importText("ASG_MIN_SIZE=\"one\"\nFSVERSION=x\nFILESPACE1=a\n")
        #expect(result.config.compute.minSize == 1)
        #expect(result.notices.contains { $0.contains("ASG_MIN_SIZE") && $0.contains("not a whole number") })
        #expect(result.notices.contains { $0.contains("FSVERSION") })
    }
}
