/// AWS commercial regions the toolkit deploys to.
public enum AWSRegions {
    /// Region codes.
    public static let all: [String] = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
        "il-central-1", "me-south-1", "me-central-1", "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
    ]

    /// Whether `zone` is a zone name of `region`, e.g. `us-east-1a`.
    public static func isZone(_ zone: String, of region: String) -> Bool {
        guard zone.hasPrefix(region), zone.count == region.count + 1, let letter = zone.last else { return false }
        return ("a"..."z").contains(letter)
    }

    /// Regions where new accounts get fewer than three availability zones, with their count
    /// (us-west-1: two; AWS documents it on the region's page).
    public static let regionsWithFewerZones: [String: Int] = ["us-west-1": 2]

    /// How many zones a deployment spans by default in `region`: 3, or fewer where new accounts get
    /// fewer zones. The account's real zones are read at plan time and by the preflight check.
    public static func usualZoneCount(of region: String) -> Int {
        regionsWithFewerZones[region] ?? 3
    }
}
