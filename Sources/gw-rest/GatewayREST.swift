@main struct GatewayRESTMain { static func main() {} }
