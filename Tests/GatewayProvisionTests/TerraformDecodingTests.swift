import Foundation
import GatewayProvision
import Testing

@Suite struct TerraformDecodingTests {
    @Test func decodesUIEventsOfEachKind() throws {
        let planned = try #require(
            TerraformUIEvent.decode(
                line:
                    #"{"@level":"info","@message":"terraform_data.b[1]: Plan to create","@module":"terraform.ui","@timestamp":"2026-11-27T09:50:18.608047Z","change":{"resource":{"addr":"terraform_data.b[1]","module":"","resource":"terraform_data.b[1]","implied_provider":"terraform","resource_type":"terraform_data","resource_name":"b","resource_key":1},"action":"create"},"type":"planned_change"}"#
            ))
        #expect(planned.type == .plannedChange)
        #expect(planned.change == TerraformResourceChange(address: "terraform_data.b[1]", action: .create))
        #expect(planned.time != nil)

        let complete = try #require(
            TerraformUIEvent.decode(
                line:
                    #"{"@level":"info","@message":"x: Creation complete after 1s [id=34fb]","@module":"terraform.ui","@timestamp":"2026-11-27T09:50:21.737899Z","hook":{"resource":{"addr":"terraform_data.b[2]","module":""},"action":"create","id_key":"id","id_value":"34fb","elapsed_seconds":1},"type":"apply_complete"}"#
            ))
        #expect(complete.type == .applyComplete)
        #expect(complete.hook == TerraformResourceHook(address: "terraform_data.b[2]", action: .create, elapsedSeconds: 1, id: "34fb"))

        let summary = try #require(
            TerraformUIEvent.decode(
                line:
                    #"{"@level":"info","@message":"Apply complete! Resources: 4 added, 0 changed, 0 destroyed.","@timestamp":"2026-11-27T09:50:21.756128Z","changes":{"add":4,"change":0,"import":0,"remove":0,"action_invocation":0,"operation":"apply"},"type":"change_summary"}"#
            ))
        #expect(summary.changes == TerraformChangeSummary(add: 4, change: 0, remove: 0, import: 0, operation: "apply"))

        let diagnostic = try #require(
            TerraformUIEvent.decode(
                line:
                    #"{"@level":"error","@message":"Error: local-exec provisioner error","@timestamp":"2026-11-27T09:50:39.118997Z","diagnostic":{"severity":"error","summary":"local-exec provisioner error","detail":"Error running command","address":"terraform_data.slow","range":{"filename":"main.tf","start":{"line":8,"column":28,"byte":194},"end":{"line":8,"column":40,"byte":200}}},"type":"diagnostic"}"#
            ))
        #expect(
            diagnostic.diagnostic
                == TerraformDiagnostic(severity: "error", summary: "local-exec provisioner error", detail: "Error running command", address: "terraform_data.slow", file: "main.tf", line: 8))
        #expect(diagnostic.diagnostic?.isError == true)

        let version = try #require(
            TerraformUIEvent.decode(
                line: #"{"@level":"info","@message":"Terraform 1.15.5","@module":"terraform.ui","@timestamp":"2026-11-27T09:50:18.587757Z","terraform":"1.15.5","type":"version","ui":"1.3"}"#))
        #expect(version.terraformVersion == "1.15.5")

        let future = try #require(TerraformUIEvent.decode(line: #"{"@level":"info","@message":"new","type":"something_new","change":{"resource":{"addr":"a.b"},"action":"teleport"}}"#))
        #expect(future.type == .other && future.change?.action == .other)

        #expect(TerraformUIEvent.decode(line: "Terraform crashed!") == nil)
        #expect(TerraformUIEvent.decode(line: "{not json") == nil)
        #expect(TerraformUIEvent.decode(line: #"{"no":"type"}"#) == nil)
    }

    @Test func summarisesAPlanFromShowJSON() throws {
        let json = #"""
            {"format_version":"1.2","terraform_version":"1.15.5","resource_changes":[
              {"address":"terraform_data.a","mode":"managed","change":{"actions":["delete","create"]},"action_reason":"replace_because_cannot_update"},
              {"address":"terraform_data.b[0]","mode":"managed","change":{"actions":["no-op"]}},
              {"address":"terraform_data.b[2]","mode":"managed","change":{"actions":["delete"]},"action_reason":"delete_because_count_index"},
              {"address":"aws_lb.s3","mode":"managed","change":{"actions":["update"]}},
              {"address":"aws_vpc.main","mode":"managed","change":{"actions":["create"]}},
              {"address":"data.aws_ami.base","mode":"data","change":{"actions":["read"]}},
              {"address":"aws_s3_bucket.old","mode":"managed","change":{"actions":["no-op"],"importing":{"id":"old"}}}
            ],"output_changes":{"a":{"actions":["update"]},"same":{"actions":["no-op"]}},"errored":false}
            """#
        let summary = try TerraformPlanSummary.decode(showJSON: Data(json.utf8))
        #expect(summary.replaces == ["terraform_data.a"])
        #expect(summary.deletes == ["terraform_data.b[2]"])
        #expect(summary.updates == ["aws_lb.s3"])
        #expect(summary.creates == ["aws_vpc.main"])
        #expect(summary.addresses(.read) == ["data.aws_ami.base"])
        #expect(summary.addresses(.import) == ["aws_s3_bucket.old"])
        #expect(summary.changes.first?.reason == "replace_because_cannot_update")
        #expect(summary.outputChanges == ["a"])
        #expect(summary.hasChanges)
        #expect(summary.headline == "1 to create, 1 to update, 1 to replace, 1 to destroy")

        let empty = try TerraformPlanSummary.decode(showJSON: Data(#"{"format_version":"1.2","resource_changes":[{"address":"x","change":{"actions":["no-op"]}}]}"#.utf8))
        #expect(!empty.hasChanges && empty.changes.isEmpty)
        #expect(throws: (any Error).self) { try TerraformPlanSummary.decode(showJSON: Data("[]".utf8)) }
    }

    @Test func countsProgressWithReplacementsAndFailures() {
        func event(_ type: TerraformUIEventType, _ address: String, _ action: TerraformAction) -> TerraformUIEvent {
            var event = TerraformUIEvent(level: "info", message: "", time: nil, type: type)
            if type == .plannedChange {
                event.change = TerraformResourceChange(address: address, action: action)
            } else {
                event.hook = TerraformResourceHook(address: address, action: action)
            }
            return event
        }
        var tracker = ResourceProgressTracker()
        _ = tracker.consume(event(.plannedChange, "a", .create))
        _ = tracker.consume(event(.plannedChange, "b", .replace))
        _ = tracker.consume(event(.plannedChange, "c", .update))
        #expect(tracker.consume(event(.plannedChange, "n", .noop)) == nil)
        #expect(tracker.progress == ResourceProgress(done: 0, total: 3, failed: 0, current: nil))
        #expect(tracker.consume(event(.applyStart, "b", .delete))?.current == "b")
        #expect(tracker.consume(event(.applyComplete, "b", .delete))?.done == 0)
        _ = tracker.consume(event(.applyStart, "b", .create))
        _ = tracker.consume(event(.applyStart, "a", .create))
        #expect(tracker.progress.current == "a")
        #expect(tracker.consume(event(.applyComplete, "b", .create)) == ResourceProgress(done: 1, total: 3, failed: 0, current: "a"))
        _ = tracker.consume(event(.applyComplete, "a", .create))
        _ = tracker.consume(event(.applyStart, "c", .update))
        #expect(tracker.consume(event(.applyErrored, "c", .update)) == ResourceProgress(done: 2, total: 3, failed: 1, current: nil))
    }

    @Test func readsTheLatestImageFromAPackerManifest() throws {
        let directory = try ProvisionTestSupport.temporaryDirectory("manifest")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("packer-manifest.json").path
        try
            #"{"builds":[{"name":"node","builder_type":"amazon-ebs","build_time":1700000000,"artifact_id":"us-east-1:ami-11111111","packer_run_uuid":"old"},{"name":"node","builder_type":"amazon-ebs","build_time":1790000000,"artifact_id":"us-east-1:ami-0123456789abcdef0,eu-west-1:ami-22222222","packer_run_uuid":"new"}],"last_run_uuid":"new"}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let images = try PackerManifest.read(from: path).latestImages()
        #expect(images.map(\.amiID) == ["ami-0123456789abcdef0", "ami-22222222"])
        #expect(images.map(\.region) == ["us-east-1", "eu-west-1"])
        #expect(images.first?.buildTime == Date(timeIntervalSince1970: 1_790_000_000))

        try #"{"builds":[{"artifact_id":"not-an-ami"}]}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ProvisionError.self) { try PackerManifest.read(from: path).latestImages() }
        #expect(throws: ProvisionError.self) { try PackerManifest.read(from: directory.appendingPathComponent("none.json").path) }
    }

    @Test func validatesIdentifiers() {
        #expect(ImageArtifact.isValidAMIID("ami-0123456789abcdef0"))
        #expect(ImageArtifact.isValidAMIID("ami-01234567"))
        #expect(!ImageArtifact.isValidAMIID("ami-0123456789ABCDEF0"))
        #expect(!ImageArtifact.isValidAMIID("ami-123"))
        #expect(!ImageArtifact.isValidAMIID("i-0123456789abcdef0"))
        let id = RunID.make()
        #expect(RunID.isValid(id))
        #expect(!RunID.isValid("../../etc"))
        #expect(!RunID.isValid("20261127T095018Z-3FA2C1"))
        #expect(!RunID.isValid("20261127X095018Z-3fa2c1"))
        #expect(RunID.make(at: Date(timeIntervalSince1970: 0)).hasPrefix("19700101T000000Z-"))
    }
}
