import Foundation
import Testing

@testable import GatewayCore

/// SigV4 signatures compared byte for byte with botocore's `SigV4Auth`, computed in the same run.
@Suite("SigV4 signer matches botocore")
struct SigV4SignerTests {
    struct Case {
        let name: String
        let service: String
        let region: String
        let request: AWSHTTPRequest
        let credentials: AWSCredentials
        let date: Date
        var unsignedPayload = false
    }

    static let longTerm = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let temporary = AWSCredentials(
        accessKeyID: "ASIAEXAMPLETEMPORARY", secretAccessKey: "tmp/Secret+Key=With/Reserved",
        sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJGMEQCIFAKE+TOKEN/Value==",
        expiration: Date(timeIntervalSince1970: 1_900_000_000))

    static func endpoint(_ url: String) -> AWSEndpoint { AWSEndpoint(url: url)! }

    static let cases: [Case] = {
        let form = "application/x-www-form-urlencoded; charset=utf-8"
        let date = Date(timeIntervalSince1970: 1_715_000_000)  // 2024-05-06T12:53:20Z
        return [
            Case(
                name: "sts query POST", service: "sts", region: "us-east-1",
                request: AWSHTTPRequest(
                    method: "POST", endpoint: endpoint("https://sts.amazonaws.com"),
                    headers: [("Content-Type", form)],
                    body: Array("Action=GetCallerIdentity&Version=2011-06-15".utf8)),
                credentials: longTerm, date: date),
            Case(
                name: "ec2 GET, reserved and non-ASCII characters in the query", service: "ec2", region: "eu-west-1",
                request: AWSHTTPRequest(
                    method: "GET", endpoint: endpoint("https://ec2.eu-west-1.amazonaws.com"),
                    query: [
                        ("Action", "DescribeImages"), ("Version", "2016-11-15"),
                        ("Filter.1.Name", "name"), ("Filter.1.Value.1", "ubuntu/images/* a+b=c&d?e#f%g"),
                        ("Owner.1", "099720109477"), ("Empty", ""), ("Z~-_.", "!*'();:@$,[]"),
                        ("Unicode", "日本-é"), ("Owner.1", "amazon"), ("a", "B"), ("A", "b"),
                    ]),
                credentials: longTerm, date: date),
            Case(
                name: "empty payload GET", service: "elasticloadbalancing", region: "us-west-2",
                request: AWSHTTPRequest(
                    method: "GET", endpoint: endpoint("https://elasticloadbalancing.us-west-2.amazonaws.com")),
                credentials: longTerm, date: date),
            Case(
                name: "unsigned payload", service: "autoscaling", region: "eu-central-1",
                request: AWSHTTPRequest(
                    method: "POST", endpoint: endpoint("https://autoscaling.eu-central-1.amazonaws.com"),
                    headers: [("Content-Type", form), ("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")],
                    body: Array("Action=DescribeAutoScalingGroups&Version=2011-01-01".utf8)),
                credentials: longTerm, date: date, unsignedPayload: true),
            Case(
                name: "session token, CloudWatch", service: "monitoring", region: "eu-west-1",
                request: AWSHTTPRequest(
                    method: "POST", endpoint: endpoint("https://monitoring.eu-west-1.amazonaws.com"),
                    headers: [("Content-Type", form)],
                    body: Array("Action=PutMetricData&Version=2010-08-01&Namespace=Gateway%2FProxy".utf8)),
                credentials: temporary, date: date),
            Case(
                name: "SSM JSON with X-Amz-Target", service: "ssm", region: "ap-southeast-2",
                request: AWSHTTPRequest(
                    method: "POST", endpoint: endpoint("https://ssm.ap-southeast-2.amazonaws.com"),
                    headers: [
                        ("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AmazonSSM.GetParameter"),
                    ],
                    body: Array(#"{"Name":"/gw/prod/lucidlink/fs1","WithDecryption":true}"#.utf8)),
                credentials: temporary, date: date),
            Case(
                name: "whitespace, repeated headers, unsigned header names", service: "ssm", region: "us-east-2",
                request: AWSHTTPRequest(
                    method: "POST", endpoint: endpoint("https://ssm.us-east-2.amazonaws.com"),
                    headers: [
                        ("X-Custom", "  a   b\t c  "), ("x-custom", "second"), ("User-Agent", "gateway/1"),
                        ("X-Amzn-Trace-Id", "Root=1"), ("Expect", "100-continue"), ("Content-Type", "text/plain"),
                    ],
                    body: Array("x".utf8)),
                credentials: longTerm, date: date),
            Case(
                name: "local endpoint with a port, path with dot segments and spaces", service: "sts",
                region: "eu-west-1",
                request: AWSHTTPRequest(
                    method: "GET", endpoint: endpoint("http://127.0.0.1:18600"), path: "/a b/c%d/../e",
                    query: [("Action", "GetCallerIdentity")]),
                credentials: temporary, date: Date(timeIntervalSince1970: 1_600_000_000)),
            Case(
                name: "China partition", service: "autoscaling", region: "cn-north-1",
                request: AWSHTTPRequest(
                    method: "POST", endpoint: endpoint("https://autoscaling.cn-north-1.amazonaws.com.cn"),
                    headers: [("Content-Type", form)],
                    body: Array("Action=StartInstanceRefresh&AutoScalingGroupName=gw-prod-asg".utf8)),
                credentials: longTerm, date: Date(timeIntervalSince1970: 2_000_000_000)),
        ]
    }()

    @Test("every case in the table signs byte for byte as botocore does")
    func matchesBotocore() async throws {
        let python = try await AWSTestTools.python(requiring: "botocore")
        var payload: [[String: Any]] = []
        for c in Self.cases {
            var pythonHeaders = c.request.headers
            if c.unsignedPayload {
                pythonHeaders.removeAll { $0.name.lowercased() == "x-amz-content-sha256" }
            }
            payload.append([
                "method": c.request.method,
                "url": c.request.endpoint.baseURL + AWSPercentEncoding.encodePath(c.request.path),
                "query": c.request.query.map { [$0.name, $0.value] },
                "headers": pythonHeaders.map { [$0.name, $0.value] },
                "bodyHex": AWSCrypto.hex(c.request.body),
                "accessKey": c.credentials.accessKeyID, "secretKey": c.credentials.secretAccessKey,
                "token": c.credentials.sessionToken as Any, "service": c.service, "region": c.region,
                "amzDate": AWSTimestamp.amzDate(c.date), "unsignedPayload": c.unsignedPayload,
            ])
        }
        let input = try JSONSerialization.data(withJSONObject: payload)
        let result = try await AWSTestTools.offPool {
            try AWSTestTools.run(python, [AWSTestTools.fixture("botocore_reference_signer.py")], stdin: input)
        }
        try #require(result.status == 0, "botocore signer failed: \(result.stderr)")
        let references = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
        try #require(references.count == Self.cases.count)

        for (c, reference) in zip(Self.cases, references) {
            var request = c.request
            let signature = SigV4Signer(service: c.service, region: c.region)
                .sign(&request, credentials: c.credentials, date: c.date)
            #expect(signature.canonicalRequest == reference["canonicalRequest"] as? String, "\(c.name)")
            #expect(request.header("Authorization") == reference["authorization"] as? String, "\(c.name)")
            let referenceHeaders = Set(
                ((reference["headers"] as? [[String]]) ?? []).map { "\($0[0].lowercased()):\($0[1])" }
                    + ["host:\(c.request.endpoint.hostHeader)"])
            let ours = Set(request.headers.map { "\($0.name.lowercased()):\($0.value)" })
            #expect(ours == referenceHeaders, "\(c.name)")
        }
    }

    @Test("the signature never contains the secret key or the session token")
    func noSecretInSignature() {
        var request = Self.cases[4].request
        let signature = SigV4Signer(service: "monitoring", region: "eu-west-1")
            .sign(&request, credentials: Self.temporary, date: Date())
        #expect(!signature.authorization.contains(Self.temporary.secretAccessKey))
        #expect(!signature.canonicalRequest.contains(Self.temporary.secretAccessKey))
        #expect(!"\(Self.temporary)".contains(Self.temporary.secretAccessKey))
        #expect(!"\(Self.temporary)".contains(Self.temporary.sessionToken!))
        #expect(!String(reflecting: Self.temporary).contains(Self.temporary.secretAccessKey))
        var dumped = ""
        dump(Self.temporary, to: &dumped)
        #expect(!dumped.contains(Self.temporary.secretAccessKey) && !dumped.contains(Self.temporary.sessionToken!))
    }

    @Test("one signer reused across credentials and days signs as fresh signers do (signing key cache)")
    func reusedSigner() {
        let shared = SigV4Signer(service: "ssm", region: "eu-west-1")
        let days = [Date(timeIntervalSince1970: 1_715_000_000), Date(timeIntervalSince1970: 1_715_100_000)]
        for (credentials, date) in [(Self.longTerm, days[0]), (Self.temporary, days[0]), (Self.longTerm, days[1]), (Self.longTerm, days[0])] {
            var viaShared = Self.cases[5].request
            var viaFresh = Self.cases[5].request
            shared.sign(&viaShared, credentials: credentials, date: date)
            SigV4Signer(service: "ssm", region: "eu-west-1").sign(&viaFresh, credentials: credentials, date: date)
            #expect(viaShared.header("Authorization") == viaFresh.header("Authorization"))
        }
    }

    @Test("timestamps format and parse as AWS writes them")
    func timestamps() {
        let date = Date(timeIntervalSince1970: 1_715_000_000)
        #expect(AWSTimestamp.amzDate(date) == "20240506T125320Z")
        #expect(AWSTimestamp.iso8601(date) == "2024-05-06T12:53:20Z")
        #expect(AWSTimestamp.parseISO8601("2024-05-06T12:53:20Z") == date)
        #expect(AWSTimestamp.parseISO8601("2024-05-06T12:53:20.500Z") == date.addingTimeInterval(0.5))
        #expect(AWSTimestamp.parseISO8601("2024-05-06T14:53:20+02:00") == date)
        #expect(AWSTimestamp.parseISO8601("2024-05-06") == nil)
        #expect(AWSTimestamp.parseISO8601("not a date at all!!") == nil)
        #expect(AWSTimestamp.amzDate(Date(timeIntervalSince1970: 951_782_400)) == "20000229T000000Z")
    }
}
