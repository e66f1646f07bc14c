import Foundation
import Testing

/// `gw-cli init | validate | schema | import-legacy` as a user runs them.
struct FoundationCommandTests {
    static let example = CLIProcess.packageRoot.appendingPathComponent("Examples/gateway.yaml").path

    @Test func validateExampleSucceeds() throws {
        let result = try CLIProcess.run(["validate", Self.example])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("valid"))
    }

    @Test func validateInvalidFailsWithLocatedProblems() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.yaml")
        try Data("project:\n  name: s3-gateway\n  regoin: us-east-1\nfilespaces:\n  - name: a.dmpfs\n    clientVersion: 4\n".utf8).write(to: file)
        let result = try CLIProcess.run(["validate", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(file.path):3:3: project.regoin: unknown key \"regoin\" (did you mean \"region\"?)"))
        #expect(result.stdout.contains("\(file.path):6:5: filespaces[0].clientVersion: must be 2 or 3, not 4"))
        let json = try CLIProcess.run(["validate", file.path, "--json"])
        #expect(json.status == 1)
        let problems = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let first = try #require(problems.first)
        #expect(first["path"] as? String == "project.regoin")
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 3)
        #expect(first["severity"] as? String == "error")
        #expect(first["hint"] as? String == "did you mean \"region\"?")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLIProcess.run(["validate"]).status == 2)
        #expect(try CLIProcess.run(["validate", "a", "b"]).status == 2)
        #expect(try CLIProcess.run(["no-such-command"]).status == 2)
        #expect(try CLIProcess.run(["validate", "--bogus", Self.example]).status == 2)
    }

    @Test func versionAndHelp() throws {
        let version = try CLIProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try CLIProcess.run(["--help"])
        #expect(help.status == 0)
        for command in ["init", "validate", "schema", "import-legacy"] {
            #expect(help.stdout.contains(command))
        }
    }

    @Test func initWritesAStarterThatValidatesWithSecretsSet() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gateway.yaml").path
        #expect(try CLIProcess.run(["init", "--out", file]).status == 0)
        let content = try String(contentsOfFile: file, encoding: .utf8)
        #expect(content.contains("env:LUCIDLINK_PASSWORD"))
        #expect(try CLIProcess.run(["init", "--out", file]).status == 1, "init must not overwrite without --force")
        let environment = ["LUCIDLINK_PASSWORD": "pw", "S3_ROOT_ACCESS_KEY": "key", "S3_ROOT_SECRET_KEY": "secret-key-value", "PATH": "/usr/bin:/bin"]
        let result = try CLIProcess.run(["validate", file], environment: environment)
        // The starter names example.com and an unpinned client: valid, with warnings only.
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test func schemaIsJSONSchema() throws {
        let result = try CLIProcess.run(["schema"])
        #expect(result.status == 0)
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(schema["properties"] as? [String: Any])
        for section in ["project", "network", "compute", "loadBalancer", "dns", "filespaces", "gateway", "proxy", "storage", "monitoring", "image", "state", "rollout"] {
            #expect(properties[section] != nil, "\(section)")
        }
        let lb = try #require(properties["loadBalancer"] as? [String: Any])
        #expect(lb["additionalProperties"] as? Bool == false)
    }

    @Test func schemaAcceptsTheExampleWithAJSONSchemaValidator() throws {
        // A real third-party validator (python jsonschema) checks the example against our schema.
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let schemaFile = directory.appendingPathComponent("schema.json")
        try Data(try CLIProcess.run(["schema"]).stdout.utf8).write(to: schemaFile)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(open(sys.argv[2])))
            bad = yaml.safe_load(open(sys.argv[2])); bad["project"]["regoin"] = "x"
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
            assert errors, "unknown key accepted"
            print("ok")
            """, schemaFile.path, Self.example,
        ]
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("ok"))
    }

    @Test func importLegacyWritesYAMLThatLoads() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let legacy = directory.appendingPathComponent("config_vars.txt")
        try Data("export AWS_REGION=\"eu-west-1\"\nFILESPACE1='studio.dmpfs'\nFSUSER1=\"ops@studio.example\"\nLLPASSWD1=\"$(rm -rf /)\"\nFQDOMAIN=studio.example\n# comment\n".utf8).write(to: legacy)
        let out = directory.appendingPathComponent("gateway.yaml")
        let result = try CLIProcess.run(["import-legacy", legacy.path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: out.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let yaml = try String(contentsOf: out, encoding: .utf8)
        #expect(yaml.contains("region: eu-west-1"))
        #expect(yaml.contains("\"$(rm -rf /)\""))
        let validate = try CLIProcess.run(["validate", out.path])
        #expect(validate.stdout.contains("gateway.rootAccessKey: is required"))
        let stdout = try CLIProcess.run(["import-legacy", legacy.path])
        #expect(stdout.status == 0)
        #expect(stdout.stdout.contains("name: studio.dmpfs"))
        #expect(try CLIProcess.run(["import-legacy", directory.appendingPathComponent("missing").path]).status == 1)
    }
}
