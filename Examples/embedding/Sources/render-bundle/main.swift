// render-bundle CONFIG OUT_DIR
//
// Loads a gateway config, validates it and writes its Terraform project, Packer template and node
// bundle to OUT_DIR: the same as `gw-cli render CONFIG --out OUT_DIR`, as a library call.
import Foundation
import GatewayCore
import GatewayProvision

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fail("usage: render-bundle CONFIG OUT_DIR", status: 2) }
let (configPath, outputPath) = (arguments[1], arguments[2])

let loaded: LoadedConfig
do {
    loaded = try ConfigLoader.load(file: configPath)
} catch {
    fail(error.allProblems().map { $0.formatted(file: configPath) }.joined(separator: "\n"))
}

let problems = loaded.validate()
for problem in problems {
    FileHandle.standardError.write(Data((problem.formatted(file: configPath) + "\n").utf8))
}
if ConfigValidator.hasErrors(problems) { fail("\(configPath) is not valid; nothing rendered") }

do {
    let bundle = try BundleRenderer.render(loaded.config)
    let result = try bundle.write(to: URL(fileURLWithPath: outputPath), force: false)
    print("rendered \(bundle.summary.deployment): \(result.written.count) files, \(bundle.summary.resourceCount) resources in \(result.directory)")
    for (type, count) in bundle.summary.resourcesByType.sorted(by: { $0.key < $1.key }) {
        print("  \(type) \(count)")
    }
} catch {
    fail("render-bundle: \(error)")
}
