import Foundation
import Testing

@testable import GatewayCore

/// No public string form of a config holding secrets shows a secret value.
struct SecretRedactionTests {
    static let values = ["hunter2-lucid-password", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI-K7MDENG-secret", "s3-root-secret-value", "s3rootkey"]

    static func configWithLiteralSecrets() throws -> GatewayConfig {
        var config = try ConfigLoader.load(file: TestSupport.exampleConfigPath).config
        config.filespaces[0].password = Secret(reference: values[0])
        config.aws.accessKeyId = Secret(reference: values[1])
        config.aws.secretAccessKey = Secret(reference: values[2])
        config.gateway.rootSecretKey = Secret(reference: values[3])
        config.gateway.rootAccessKey = Secret(reference: values[4])
        return config
    }

    @Test func noPublicFormShowsAValue() throws {
        let config = try Self.configWithLiteralSecrets()
        var forms: [String] = []
        forms.append(String(describing: config))
        forms.append(String(reflecting: config))
        forms.append("\(config)")
        var dumped = ""
        dump(config, to: &dumped)
        forms.append(dumped)
        forms.append(String(decoding: try JSONEncoder().encode(config), as: UTF8.self))
        forms.append(try ConfigYAMLWriter.yaml(for: config))
        forms.append(String(decoding: try JSONEncoder().encode(NodeConfig(deployment: config, secrets: .asConfigured)), as: UTF8.self))
        forms.append(String(decoding: try JSONEncoder().encode(NodeConfig(deployment: config)), as: UTF8.self))
        forms.append(ConfigValidator().validate(config).map(\.description).joined(separator: "\n"))
        for (path, secret) in config.secrets {
            forms.append("\(path)=\(secret)")
            forms.append(secret.description + secret.debugDescription + secret.redactedReference)
        }
        for form in forms {
            for value in Self.values {
                #expect(!form.contains(value), "a secret value leaked into: \(form.prefix(200))")
            }
        }
        #expect(forms[4].contains(Secret.redactedMarker))
    }

    @Test func revealingIsExplicitAndOnlyForLiterals() throws {
        let config = try Self.configWithLiteralSecrets()
        let yaml = try ConfigYAMLWriter.yaml(for: config, revealingSecretLiterals: true)
        #expect(yaml.contains(Self.values[0]))
        let reloaded = try ConfigLoader.load(text: yaml).config
        #expect(reloaded == config)
    }

    @Test func redactedLiteralIsAnErrorNotAValue() throws {
        let config = try Self.configWithLiteralSecrets()
        let redactedYAML = try ConfigYAMLWriter.yaml(for: config)
        let reloaded = try ConfigLoader.load(text: redactedYAML)
        #expect(reloaded.config.filespaces[0].password.source == .redacted)
        #expect(reloaded.validate().contains { $0.path == "filespaces[0].password" && $0.message == "was redacted when this config was written out" })
    }

    @Test func resolverNamesTheFieldOnFailure() throws {
        let resolver = SecretResolver(environment: ["SET": "value"])
        #expect(try resolver.resolveLocally(Secret(reference: "env:SET"), field: "x") == "value")
        #expect(throws: SecretError(field: "filespaces[0].password", problem: "refers to the environment variable MISSING, which is not set", hint: "export MISSING before running")) {
            try resolver.resolveLocally(Secret(reference: "env:MISSING"), field: "filespaces[0].password")
        }
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("secret")
        try Data("from-file\n".utf8).write(to: file)
        #expect(try resolver.resolveLocally(Secret(reference: "file:\(file.path)"), field: "x") == "from-file")
        do {
            _ = try resolver.resolveLocally(Secret(reference: "file:\(directory.path)/nope"), field: "gateway.rootSecretKey")
            Issue.record("missing file resolved")
        } catch let error as SecretError {
            #expect(error.field == "gateway.rootSecretKey")
            #expect(error.description.contains("does not exist"))
        }
    }
}
