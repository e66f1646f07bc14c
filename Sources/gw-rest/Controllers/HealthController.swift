import GatewayCore
import Hummingbird

/// `GET /healthz`: liveness, without authentication; says nothing but "ok" and the version.
struct HealthController: Sendable {
    struct Health: Encodable, Sendable {
        let status = "ok"
        let version = GatewayVersion.current
    }

    var operations: [APIOperation] {
        [
            APIOperation(
                method: .get, path: "/healthz", id: "health",
                summary: "Liveness check (no authentication)",
                tag: "service", authenticated: false,
                responses: [.json(200, "The server is up.", schema: "Health")],
                handler: { _, _ in try JSONBody.response(Health()) }
            )
        ]
    }
}
