@main struct GatewayCLIMain { static func main() {} }
