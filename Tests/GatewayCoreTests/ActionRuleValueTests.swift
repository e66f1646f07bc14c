import Foundation
import GatewayCore
import Testing

/// The single rules both fronts and the config use: AMI IDs and rollout checkpoints.
@Suite("AMI IDs and rollout checkpoints: one rule each")
struct ActionRuleValueTests {
    @Test("AMI IDs: ami- and 8 or 17 lowercase hex digits, nothing else")
    func amiIDs() throws {
        for valid in ["ami-01234567", "ami-0123456789abcdef0", "ami-abcdefab"] {
            #expect(AMIID(valid)?.rawValue == valid)
        }
        for invalid in [
            "", "ami-", "ami-0123456", "ami-0123456789", "ami-0123456789abcdef", "ami-0123456789ABCDEF0", "AMI-01234567",
            "ami-0123456g", " ami-01234567", "ami-01234567 ", "ami-0123456789abcdef01", "ami-٠١٢٣٤٥٦٧", "snap-01234567",
        ] {
            #expect(AMIID(invalid) == nil, "\(invalid)")
        }
        let decoded = try JSONDecoder().decode([AMIID].self, from: Data(#"["ami-0123456789abcdef0"]"#.utf8))
        #expect(decoded.first?.rawValue == "ami-0123456789abcdef0")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([AMIID].self, from: Data(#"["ami-12"]"#.utf8)) }
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == #"["ami-0123456789abcdef0"]"#)
        #expect(try Regex(AMIID.pattern).wholeMatch(in: "ami-0123456789abcdef0") != nil)
        #expect(try Regex(AMIID.pattern).wholeMatch(in: "ami-0123456789") == nil)
    }

    @Test("Checkpoints: distinct, 1-100, taken ascending with 100 added")
    func checkpoints() {
        #expect(RolloutCheckpoints.problem([33, 66, 100]) == nil)
        #expect(RolloutCheckpoints.problem([66, 33]) == nil)
        #expect(RolloutCheckpoints.normalized([66, 33]) == [33, 66, 100])
        #expect(RolloutCheckpoints.normalized([100]) == [100])
        #expect(RolloutCheckpoints.normalized([50, 100]) == [50, 100])
        #expect(RolloutCheckpoints.problem([]) == "must list at least one checkpoint")
        #expect(RolloutCheckpoints.problem([0, 50]) == "0,50 has 0, outside 1 to 100")
        #expect(RolloutCheckpoints.problem([50, 101]) == "50,101 has 101, outside 1 to 100")
        #expect(RolloutCheckpoints.problem([50, 50]) == "50,50 lists a percentage twice")
        #expect(RolloutCheckpoints.parse("33, 66,100") == [33, 66, 100])
        #expect(RolloutCheckpoints.parse("33,,100") == nil)
        #expect(RolloutCheckpoints.parse("a") == nil)
        #expect(!RolloutCheckpoints.hint.contains("--") && !RolloutCheckpoints.hint.contains("gw-cli"))
    }
}
