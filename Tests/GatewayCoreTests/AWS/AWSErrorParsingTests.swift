import Foundation
import Testing

@testable import GatewayCore

/// AWS error documents in the three shapes the services answer with, turned into `AWSError`s.
@Suite("AWS error documents")
struct AWSErrorParsingTests {
    static func response(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> AWSHTTPResponse {
        AWSHTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test("query, EC2, JSON and empty error answers")
    func shapes() {
        let query = AWSClient.error(
            from: Self.response(
                400,
                """
                <ErrorResponse xmlns="https://autoscaling.amazonaws.com/doc/2011-01-01/">
                  <Error><Type>Sender</Type><Code>InstanceRefreshInProgress</Code>
                  <Message>An Instance Refresh is already in progress &amp; blocks this</Message></Error>
                  <RequestId>7c3d1f3e-0000-4000-8000-000000000001</RequestId>
                </ErrorResponse>
                """), service: "autoscaling", action: "StartInstanceRefresh")
        #expect(query.code == "InstanceRefreshInProgress" && query.message == "An Instance Refresh is already in progress & blocks this")
        #expect(query.requestID == "7c3d1f3e-0000-4000-8000-000000000001" && !query.isRetryable)

        let ec2 = AWSClient.error(
            from: Self.response(
                400,
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Response><Errors><Error><Code>InvalidAMIID.NotFound</Code><Message>The image id '[ami-1]' does not exist</Message></Error></Errors><RequestID>ec2-req-1</RequestID></Response>
                """), service: "ec2", action: "DescribeImages")
        #expect(ec2.code == "InvalidAMIID.NotFound" && ec2.requestID == "ec2-req-1")

        let json = AWSClient.error(
            from: Self.response(
                400, #"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"Parameter /x not found."}"#,
                headers: [("x-amzn-RequestId", "ssm-req-1")]), service: "ssm", action: "GetParameter")
        #expect(json.code == "ParameterNotFound" && json.message == "Parameter /x not found." && json.requestID == "ssm-req-1")

        let throttled = AWSClient.error(
            from: Self.response(400, #"{"__type":"ThrottlingException:http://internal","Message":"Rate exceeded"}"#),
            service: "ssm", action: "GetParametersByPath")
        #expect(throttled.code == "ThrottlingException" && throttled.isThrottling && throttled.isRetryable)

        let empty = AWSClient.error(from: Self.response(503, "", headers: [("x-amz-request-id", "r-503")]), service: "sts", action: "GetCallerIdentity")
        #expect(empty.code == "ServiceUnavailable" && empty.isRetryable && empty.requestID == "r-503")
        let tooMany = AWSClient.error(from: Self.response(429, "<html>slow down</html>"), service: "ec2", action: "DescribeInstances")
        #expect(tooMany.isThrottling)
        #expect("\(query)".contains("[request id 7c3d1f3e-0000-4000-8000-000000000001]"))
    }

    @Test("XML trees: lists, namespaces, entities, malformed input")
    func xmlTree() {
        let tree = XMLTree.parse(
            Array(
                """
                <a:Root xmlns:a="urn:x"><Items><member><Name>one</Name></member><member><Name>two &lt;2&gt;</Name></member></Items>
                <itemSet><item>i1</item></itemSet><Text><![CDATA[raw <text>]]></Text></a:Root>
                """.utf8))
        #expect(tree?.name == "Root")
        #expect(tree?.list("Items").compactMap { $0.string("Name") } == ["one", "two <2>"])
        #expect(tree?.list("itemSet").map(\.text) == ["i1"])
        #expect(tree?.string("Text") == "raw <text>")
        #expect(XMLTree.parse(Array("<unclosed><a></unclosed>".utf8)) == nil)
        #expect(XMLTree.parse([]) == nil)
        #expect(XMLTree.parse(Array("not xml at all".utf8)) == nil)
    }
}
