// Benchmarks of the AWS client and the CloudWatch publisher. Run through Benchmarks/aws/run.sh, which
// also runs botocore's signer on the same requests, so the figures are ratios taken in one run.
//
//   AWSBenchmarks sign SECONDS            SigV4 signatures per second over the request table
//   AWSBenchmarks metrics SERIES          publisher memory with SERIES distinct series, and batches
//                                         per publication / per minute at the default interval
import CoreMetrics
import Foundation
import GatewayCore
import GatewayNode

/// The requests signed by both this benchmark and Benchmarks/aws/botocore_sign_bench.py.
func requestTable() -> [(service: String, region: String, request: AWSHTTPRequest)] {
    let form = "application/x-www-form-urlencoded; charset=utf-8"
    func endpoint(_ url: String) -> AWSEndpoint { AWSEndpoint(url: url)! }
    return [
        (
            "sts", "us-east-1",
            AWSHTTPRequest(
                method: "POST", endpoint: endpoint("https://sts.amazonaws.com"), headers: [("Content-Type", form)],
                body: Array("Action=GetCallerIdentity&Version=2011-06-15".utf8))
        ),
        (
            "ec2", "eu-west-1",
            AWSHTTPRequest(
                method: "GET", endpoint: endpoint("https://ec2.eu-west-1.amazonaws.com"),
                query: [
                    ("Action", "DescribeImages"), ("Version", "2016-11-15"), ("Filter.1.Name", "name"),
                    ("Filter.1.Value.1", "ubuntu/images/* a+b=c&d"), ("Owner.1", "099720109477"),
                ])
        ),
        (
            "monitoring", "eu-west-1",
            AWSHTTPRequest(
                method: "POST", endpoint: endpoint("https://monitoring.eu-west-1.amazonaws.com"), headers: [("Content-Type", form)],
                body: Array(String(repeating: "MetricData.member.1.MetricName=requests&", count: 40).utf8))
        ),
        (
            "ssm", "ap-southeast-2",
            AWSHTTPRequest(
                method: "POST", endpoint: endpoint("https://ssm.ap-southeast-2.amazonaws.com"),
                headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AmazonSSM.GetParameter")],
                body: Array(#"{"Name":"/gateway/prod/filespaces/0/password","WithDecryption":true}"#.utf8))
        ),
    ]
}

func benchmarkSigning(seconds: Double) {
    let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "token")
    let table = requestTable()
    let signers = table.map { SigV4Signer(service: $0.service, region: $0.region) }
    let date = Date(timeIntervalSince1970: 1_715_000_000)
    var count = 0
    var check = 0
    let clock = ContinuousClock()
    let start = clock.now
    let budget = Duration.milliseconds(Int64(seconds * 1000))
    while clock.now - start < budget {
        for index in table.indices {
            var request = table[index].request
            let signature = signers[index].sign(&request, credentials: credentials, date: date)
            check &+= signature.signature.utf8.count
            count += 1
        }
    }
    let elapsed = clock.now - start
    let perSecond = Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    print(#"{"benchmark":"sign","signatures":\#(count),"signaturesPerSecond":\#(Int(perSecond)),"check":\#(check % 7)}"#)
}

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}

func benchmarkMetrics(series: Int) async {
    let before = residentBytes()
    let factory = CloudWatchMetricsFactory(
        defaultDimensions: [("deployment", "s3-gateway-prod"), ("instance", "i-0123456789abcdef0")], maximumSeries: series)
    var counters: [Counter] = []
    var timers: [CoreMetrics.Timer] = []
    for index in 0..<series {
        if index % 2 == 0 {
            counters.append(Counter(label: "proxy_requests_total", dimensions: [("backend", "10.0.\(index / 256).\(index % 256):7070")], factory: factory))
        } else {
            timers.append(CoreMetrics.Timer(label: "proxy_request_duration", dimensions: [("backend", "10.0.\(index / 256).\(index % 256):7070")], factory: factory))
        }
    }
    for round in 0..<10 {
        for counter in counters { counter.increment(by: Int64(round)) }
        for timer in timers { timer.recordNanoseconds(Int64(1_000_000 * (round + 1))) }
    }
    let afterRecording = residentBytes()
    let data = factory.drain()
    let batchesPerPublication = CloudWatchMetricsPublisher.batches(data).count
    // The sender discards: this measures the publisher's side, not a network.
    let publisher = CloudWatchMetricsPublisher(factory: factory, namespace: "Bench") { _, _ in }
    for counter in counters { counter.increment() }
    await publisher.publish()
    let stats = publisher.currentStatistics
    let interval = 60.0
    print(
        #"{"benchmark":"metrics","series":\#(factory.seriesCount),"residentBytesBefore":\#(before),"residentBytesAfterRecording":\#(afterRecording),"bytesPerSeries":\#((afterRecording - before) / max(series, 1)),"dataPerPublication":\#(data.count),"batchesPerPublication":\#(batchesPerPublication),"publishIntervalSeconds":\#(Int(interval)),"batchesPerMinute":\#(Double(batchesPerPublication) * 60 / interval),"secondPublicationBatches":\#(stats.batchesSent)}"#
    )
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "sign":
    benchmarkSigning(seconds: Double(arguments.dropFirst().first ?? "3") ?? 3)
case "metrics":
    await benchmarkMetrics(series: Int(arguments.dropFirst().first ?? "10000") ?? 10_000)
default:
    FileHandle.standardError.write(Data("usage: AWSBenchmarks sign SECONDS | metrics SERIES\n".utf8))
    exit(2)
}
