import Foundation
import Testing

@testable import GatewayProvision

@Suite("HCL writer")
struct HCLWriterTests {
    let writer = HCLWriter()

    @Test("quoted strings escape interpolation, directives, quotes, backslashes, controls and non-ASCII")
    func quotedEscaping() {
        #expect(HCLEscaping.quoted("plain text") == "plain text")
        #expect(HCLEscaping.quoted("${APP_DIR:-/opt/app}") == "$${APP_DIR:-/opt/app}")
        #expect(HCLEscaping.quoted("%{ if x }") == "%%{ if x }")
        #expect(HCLEscaping.quoted("$${already}") == "$$${already}")
        #expect(HCLEscaping.quoted("cost $5 and 50% {braces}") == "cost $5 and 50% {braces}")
        #expect(HCLEscaping.quoted("say \"hi\" \\ path") == "say \\\"hi\\\" \\\\ path")
        #expect(HCLEscaping.quoted("a\nb\rc\td") == "a\\nb\\rc\\td")
        #expect(HCLEscaping.quoted("bell\u{07} del\u{7F}") == "bell\\u0007 del\\u007F")
        #expect(HCLEscaping.quoted("Zoë 😀 日本") == "Zo\\u00EB \\U0001F600 \\u65E5\\u672C")
    }

    @Test("heredoc text escapes only interpolation and directives")
    func heredocEscaping() {
        #expect(HCLEscaping.heredoc("echo \"${HOME}\" %{x} 100%\n") == "echo \"$${HOME}\" %%{x} 100%\n")
    }

    @Test("identifiers stay bare, other keys are quoted")
    func keys() {
        #expect(HCLWriter.key("Name") == "Name")
        #expect(HCLWriter.key("root-device-type") == "root-device-type")
        #expect(HCLWriter.key("kms:EncryptionContext:aws:logs:arn") == "\"kms:EncryptionContext:aws:logs:arn\"")
        #expect(HCLWriter.key("1st") == "\"1st\"")
        #expect(HCLWriter.key("null") == "\"null\"")
        #expect(HCLWriter.key("Zoë") == "\"Zo\\u00EB\"")
    }

    @Test("attributes align in runs; blocks, blank lines and multi-line values break runs")
    func alignment() {
        var block = HCLBlock("resource", "aws_vpc", "main")
        block["cidr_block"] = .ref("var.vpc_cidr")
        block["enable_dns_support"] = true
        block["tags"] = .object([("Name", "main"), ("Environment", "prod")])
        block["x"] = 1
        block.separator()
        block["count"] = 3
        block.block("lifecycle") { $0["create_before_destroy"] = true }
        let expected = """
            resource "aws_vpc" "main" {
              cidr_block         = var.vpc_cidr
              enable_dns_support = true
              tags = {
                Name        = "main"
                Environment = "prod"
              }
              x = 1

              count = 3

              lifecycle {
                create_before_destroy = true
              }
            }

            """
        #expect(writer.write([block]) == expected)
    }

    @Test("a heredoc attribute stays in its alignment run")
    func heredocAlignment() {
        var body = HCLBody()
        body["a"] = 1
        body["user_data"] = .heredoc("#!/bin/sh\necho \"${HOME}\"\nEOT\n")
        body["bb"] = 2
        #expect(
            writer.write(body) == """
                a         = 1
                user_data = <<EOT1
                #!/bin/sh
                echo "$${HOME}"
                EOT
                EOT1
                bb        = 2

                """)
    }

    @Test("templates: bare single interpolations, directives without inner spaces, a literal $ before ${")
    func templates() {
        #expect(writer.inline(.interpolated(.ref("var.region"))) == "var.region")
        #expect(writer.inline(.interpolated("com.amazonaws.", .ref("var.region"), ".s3")) == "\"com.amazonaws.${var.region}.s3\"")
        #expect(writer.inline(.template([.directive(" for z in var.zones "), .interpolation(.ref("z")), .literal(","), .directive("endfor")])) == "\"%{for z in var.zones}${z},%{endfor}\"")
        #expect(writer.inline(.template([.literal("price: $"), .interpolation(.ref("var.price"))])) == "\"price: ${\"$\"}${var.price}\"")
        #expect(writer.inline(.template([.literal("50%"), .directive("if var.x"), .literal("!"), .directive("endif")])) == "\"50${\"%\"}%{if var.x}!%{endif}\"")
    }

    @Test("calls, lists, conditionals and for expressions lay out like terraform fmt")
    func expressions() {
        #expect(writer.inline(.call("list", [.ref("string")])) == "list(string)")
        #expect(writer.inline(.list([1, 2, "three"])) == "[1, 2, \"three\"]")
        #expect(writer.inline(.object([], inline: false)) == "{}")
        #expect(writer.inline(.inlineObject([("a", 1), ("b c", true)])) == "{ a = 1, \"b c\" = true }")
        #expect(writer.inline(.conditional(.ref("var.x"), "a", .null)) == "var.x ? \"a\" : null")
        #expect(
            writer.inline(.forList(item: "r", collection: .ref("aws_x.y"), result: .ref("r.fqdn"), condition: .binary(.ref("r.ok"), .equal, true))) == "[for r in aws_x.y : r.fqdn if r.ok == true]")
        #expect(writer.inline(.decimal(0.5)) == "0.5")
        #expect(writer.inline(.decimal(3)) == "3")
        var body = HCLBody()
        body["tags"] = .call("merge", [.ref("local.tags"), .object([("Name", "x")])])
        body["long"] = .strings((1...12).map { "item-number-\($0)" })
        #expect(
            writer.write(body) == """
                tags = merge(local.tags, {
                  Name = "x"
                })
                long = [
                \((1...12).map { "  \"item-number-\($0)\"," }.joined(separator: "\n"))
                ]

                """)
    }

    @Test("the same tree always gives the same bytes")
    func deterministic() throws {
        let tree = HCLFormatCorpus.files()
        for (name, body) in tree {
            #expect(writer.write(body) == HCLWriter().write(body), "\(name)")
        }
    }

    @Test("terraform fmt leaves every file of the writer's corpus unchanged")
    func corpusIsCanonical() throws {
        let directory = try TestSupport.temporaryDirectory(prefix: "hcl-corpus")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, body) in HCLFormatCorpus.files() {
            try writer.write(body).write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        let run = try TestSupport.check("hcl-fmt-check.py", [directory])
        #expect(run.status == 0, "terraform fmt would change the writer's output:\n\(run.output)")
    }

    @Test("the format check fails on output that is not canonical")
    func formatCheckCanFail() throws {
        let directory = try TestSupport.temporaryDirectory(prefix: "hcl-bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "locals {\n  a = 1\n  bbb = 2\n}\n".write(toFile: directory + "/misaligned.tf", atomically: true, encoding: .utf8)
        let misaligned = try TestSupport.check("hcl-fmt-check.py", [directory + "/misaligned.tf"])
        #expect(misaligned.status == 3, "expected a formatting difference:\n\(misaligned.output)")
        #expect(misaligned.output.contains("misaligned.tf"))
        try "locals {\n  a = \"${HOME:-x}\"\n}\n".write(toFile: directory + "/unescaped.pkr.hcl", atomically: true, encoding: .utf8)
        let unescaped = try TestSupport.check("hcl-fmt-check.py", [directory + "/unescaped.pkr.hcl"])
        #expect(unescaped.status == 2, "expected a syntax error for the unescaped template:\n\(unescaped.output)")
        #expect(unescaped.output.contains("unescaped.pkr.hcl"))
    }

    @Test("strings read back from real Terraform exactly as written")
    func valuesRoundTrip() throws {
        let samples: [String] = [
            "${HOME}", "$${HOME}", "%{ if x }", "%%{x}", "a$", "$", "%", "$$", "}{", "say \"hi\"", "back\\slash",
            "line\nbreak\r\ttab", "bell\u{07}", "del\u{7F}", "Zoë", "😀", "日本", "${a}${b}%{c}", "trailing ${",
        ]
        var locals = HCLBlock("locals")
        var expected: [String] = []
        for (index, sample) in samples.enumerated() {
            locals["s\(index)"] = .string(sample)
            expected.append(sample)
        }
        locals["price"] = "42"
        locals["t0"] = .template([.literal("cost: $"), .interpolation(.ref("local.price")), .literal(" ${literal}")])
        expected.append("cost: $42 ${literal}")
        locals["t1"] = .template([.literal("50%"), .directive("if local.price == \"42\""), .literal(" yes"), .directive("endif")])
        expected.append("50% yes")
        locals["h0"] = .heredoc("#!/bin/sh\necho \"${HOME:-/root}\" %{x}\n")
        expected.append("#!/bin/sh\necho \"${HOME:-/root}\" %{x}\n")
        var output = HCLBlock("output", "values")
        output["value"] = .list(samples.indices.map { .ref("local.s\($0)") } + [.ref("local.t0"), .ref("local.t1"), .ref("local.h0")])

        let directory = try TestSupport.temporaryDirectory(prefix: "hcl-values")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writer.write([locals, output]).write(toFile: directory + "/main.tf", atomically: true, encoding: .utf8)
        let terraform = TestSupport.path("scripts/checks/terraform.py")
        let apply = try TestSupport.run(try TestSupport.python(), [terraform, "-chdir=\(directory)", "apply", "-auto-approve", "-input=false", "-no-color"])
        #expect(apply.status == 0, "terraform apply failed:\n\(apply.output)")
        let read = try TestSupport.run(try TestSupport.python(), [terraform, "-chdir=\(directory)", "output", "-json", "values"])
        #expect(read.status == 0, "terraform output failed:\n\(read.output)")
        let values = try JSONDecoder().decode([String].self, from: Data(read.stdout.utf8))
        #expect(values == expected)
    }
}

/// HCL files exercising every expression kind and layout of the writer.
enum HCLFormatCorpus {
    static func files() -> [(String, HCLBody)] {
        var result: [(String, HCLBody)] = []

        var everything = HCLBlock("resource", "example_thing", "all")
        everything["count"] = .call("length", [.ref("var.zones")])
        everything.separator()
        everything["string"] = .string("quotes \" backslash \\ ${x} %{y} é 😀 \u{01}")
        everything["number"] = -12
        everything["decimal"] = .decimal(2.75)
        everything["flag"] = false
        everything["nothing"] = .null
        everything["reference"] = .ref("aws_subnet.private[count.index].id")
        everything["splat"] = .ref("aws_subnet.private[*].id")
        everything["call"] = .call("cidrsubnet", [.ref("var.cidr"), 4, .binary(.ref("count.index"), .add, 12)])
        everything["nested_call"] = .call(
            "jsonencode",
            [
                .object([
                    ("Version", "2012-10-17"),
                    ("Statement", .list([.object([("Effect", "Allow"), ("Action", .strings(["s3:GetObject"])), ("Principal", .inlineObject([("AWS", "*")]))])])),
                ])
            ])
        everything["middle_multiline"] = .call("merge", [.object([("a", 1)]), .ref("local.b"), .object([("c", 2)])])
        everything["conditional"] = .conditional(.binary(.ref("var.a"), .notEqual, ""), .ref("var.a"), .ref("var.b"))
        everything["conditional_object"] = .conditional(.not(.ref("var.flag")), .null, .object([("key", "value"), ("other", 2)]))
        everything["parenthesized"] = .binary(.parenthesized(.binary(.ref("var.a"), .add, 1)), .multiply, 2)
        everything["for_list"] = .forList(item: "s", collection: .ref("var.list"), result: .call("upper", [.ref("s")]), condition: .binary(.ref("s"), .notEqual, ""))
        everything["for_object_grouped"] = .forObject(key: "k", value: "v", collection: .ref("var.map"), resultKey: .ref("v"), resultValue: .ref("k"), grouped: true)
        everything["for_object"] = .forObject(
            key: "o", value: nil, collection: .ref("var.options"), resultKey: .ref("o.name"), resultValue: .object([("name", .ref("o.name")), ("value", .ref("o.value"))]), grouped: false)
        everything["template"] = .template([
            .literal("zones: "), .directive("for z in var.zones"), .interpolation(.ref("z")), .literal(" "), .directive("endfor"), .literal("$"), .interpolation(.ref("var.n")),
        ])
        everything["long_list"] = .list((0..<10).map { .string("a fairly long value number \($0)") })
        everything["list_of_objects"] = .list([.object([("a", 1)]), .object([("b", .list([1, 2]))])])
        everything["heredoc"] = .heredoc("line one\n  ${not interpolated}\nEOT\n")
        everything["after_heredoc"] = true
        everything["empty_object"] = .object([], inline: false)
        everything["empty_list"] = []
        everything["quoted_keys"] = .object([("kms:EncryptionContext", "x"), ("plain", "y"), ("with space", "z"), ("Zoë", "ü")])
        everything.comment("a comment before a block")
        everything.block("nested", "label") { nested in
            nested["x"] = 1
            nested.block("deeper") { deeper in
                deeper["long_attribute_name"] = "a"
                deeper["y"] = "b"
            }
            nested.block("empty") { _ in }
        }
        everything.block("dynamic", "setting") { dynamic in
            dynamic["for_each"] = .ref("var.settings")
            dynamic.block("content") { content in
                content["name"] = .ref("setting.key")
                content["value"] = .ref("setting.value")
            }
        }
        everything.separator()
        everything["depends_on"] = [.ref("aws_vpc.main")]
        var file = HCLBody()
        file.comment("Corpus of every construct the writer emits.")
        file.append(everything)
        file.append(HCLBlock("terraform"))
        var variable = HCLBlock("variable", "zones")
        variable["type"] = .call("list", [.ref("string")])
        variable["default"] = .strings(["a", "b"])
        variable.block("validation") { rule in
            rule["condition"] = .binary(.call("length", [.ref("var.zones")]), .greaterOrEqual, 1)
            rule["error_message"] = "At least one zone."
        }
        file.append(variable)
        result.append(("corpus.tf", file))

        var values = HCLBody()
        values.comment("tfvars-style file")
        values["region"] = "eu-west-1"
        values["a_much_longer_name"] = .list([1, 2, 3])
        values["map"] = .object([("k", "v")])
        values["after"] = .decimal(0.25)
        result.append(("values.auto.pkrvars.hcl", values))
        return result
    }
}
