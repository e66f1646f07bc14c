import GatewayProvision
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// Runs: start a typed action on a deployment, list and read runs, cancel one, follow its events.
struct RunsController: Sendable {
    let root: WorkspaceRoot
    let bodies: RequestBodyReader
    let deployments: DeploymentsController
    let supervisor: RunSupervisor
    let streams: RunEventStreams

    static let idParameter = APIParameter(
        name: "id", location: .path, description: "A run id, e.g. 20261127T095018Z-3fa2c1.",
        schema: ["type": "string", "pattern": "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"], example: "20261127T095018Z-3fa2c1")

    static let lastEventIDHeader = HTTPField.Name("Last-Event-ID")!

    /// Where a started run leads.
    static let runLinks = [
        APILink(name: "GetRun", operationID: "getRun", parameters: [("id", "$response.body#/id")]),
        APILink(name: "RunEvents", operationID: "runEvents", parameters: [("id", "$response.body#/id")]),
        APILink(name: "CancelRun", operationID: "cancelRun", parameters: [("id", "$response.body#/id")]),
    ]

    var operations: [APIOperation] {
        [
            APIOperation(
                method: .post, path: "/v1/deployments/{name}/runs", id: "startRun",
                summary: "Start a plan (or destroy plan), apply, destroy, AMI build, rollout or rollback",
                description:
                    "Starts the typed action on the deployment's stored config and answers as soon as the run exists; follow it at /v1/runs/{id}/events. A deployment runs one run at a time: a second one is refused with 409 naming the running run.",
                tag: "runs", parameters: [DeploymentsController.nameParameter],
                requestBody: APIRequestBody(description: "The action and its options.", content: [(JSONBody.mediaType, OpenAPISchemas.reference("RunRequest"))], example: ["action": "plan"]),
                responses: [
                    .json(202, "The run started.", schema: "Run", headers: [("Location", "The run's URL.", OpenAPISchemas.string)], links: Self.runLinks),
                    .problem(400, "The body is malformed or its options do not fit the action (each listed in actionProblems with its code)."),
                    .problem(404, "No such deployment."),
                    .problem(409, "Busy with another run (deployment-busy, with runningRun), saved plan refused (plan-rejected), no AMI known (no-image), or no stored config (not-configured)."),
                    .problem(413, "The body is larger than the limit."),
                    .problem(415, "The body is not JSON."),
                    .problem(
                        422,
                        "A destroy's confirm does not name the deployment (confirmation-mismatch), or an ami-build's node binary cannot start on the image (node-binary-refused: missing, not an executable ELF file, another architecture, or linked to the Swift toolchain's libraries)."
                    ),
                    .problem(502, "AWS refused a call a rollout needs before it could start (aws-error)."),
                    .problem(503, "The server is shutting down, the tool is not available, or AWS cannot be reached (aws-unavailable)."),
                ],
                handler: start),
            APIOperation(
                method: .get, path: "/v1/deployments/{name}/runs", id: "listRuns",
                summary: "The deployment's runs, oldest first", tag: "runs",
                parameters: [DeploymentsController.nameParameter],
                responses: [.json(200, "The runs.", schema: "RunList"), .problem(404, "No such deployment.")],
                handler: list),
            APIOperation(
                method: .get, path: "/v1/runs/{id}", id: "getRun",
                summary: "A run", tag: "runs", parameters: [Self.idParameter],
                responses: [.json(200, "The run.", schema: "Run"), .problem(404, "No such run.")],
                handler: get),
            APIOperation(
                method: .post, path: "/v1/runs/{id}/cancel", id: "cancelRun",
                summary: "Cancel a run (that run only)",
                description:
                    "Asks the process running the run to stop it: the tool gets SIGINT (terraform finishes what is in flight, saves state and releases its lock), then SIGTERM and SIGKILL after grace periods. The run ends with status canceled; follow its events to see it end.",
                tag: "runs", parameters: [Self.idParameter],
                responses: [
                    .json(202, "Cancellation requested.", schema: "Run"),
                    .problem(404, "No such run."),
                    .problem(409, "The run is not running."),
                ],
                handler: cancel),
            APIOperation(
                method: .get, path: "/v1/runs/{id}/events", id: "runEvents",
                summary: "The run's events as Server-Sent Events",
                description:
                    "Each event is `id: N` (its position in the run's log, from 1), `event: TYPE` and `data: JSON` (a RunEvent). A client connecting late first receives the history, then live events; the stream ends after the run_finished event. Send Last-Event-ID to resume after event N. Browsers' EventSource cannot send the bearer token: use a fetch-based SSE client.",
                tag: "runs",
                parameters: [
                    Self.idParameter,
                    APIParameter(name: "Last-Event-ID", location: .header, description: "Resume after this event id.", schema: ["type": "string", "pattern": "^[0-9]{1,9}$"]),
                ],
                responses: [
                    APIResponse(status: 200, description: "The event stream.", content: [("text/event-stream", OpenAPISchemas.reference("RunEventMessage"))]),
                    .problem(400, "Last-Event-ID is not a number."),
                    .problem(404, "No such run."),
                ],
                handler: events),
        ]
    }

    // MARK: - Handlers

    @Sendable func start(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let workspace = try deployments.existing(context)
        let action = try await bodies.decode(RunRequest.self, from: request).validated(deployment: workspace.name)
        let config = try deployments.requiredConfig(workspace)
        let record = try await supervisor.start(action, workspace: workspace, config: config, caller: context.caller)
        return try JSONBody.response(RunResource(record), status: .accepted, headers: [.location: "/v1/runs/\(record.id)"])
    }

    @Sendable func list(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let workspace = try deployments.existing(context)
        return try JSONBody.response(RunList(runs: workspace.records().map(RunResource.init)))
    }

    @Sendable func get(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let (_, record) = try run(context)
        return try JSONBody.response(RunResource(record))
    }

    @Sendable func cancel(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let (workspace, record) = try run(context)
        guard record.status == .running else {
            throw APIProblem(.runNotRunning, "run \(record.id) is not running (it \(record.status.rawValue))")
        }
        do {
            try workspace.requestCancel(record.id)
        } catch is ProvisionError {
            // It ended between the check and the request.
            let status = (try? workspace.record(record.id))?.status.rawValue ?? "ended"
            throw APIProblem(.runNotRunning, "run \(record.id) is not running (it \(status))")
        }
        context.logger.notice("run cancel requested", metadata: ["run": .string(record.id), "caller": .string(context.caller ?? "-")])
        return try JSONBody.response(RunResource(record), status: .accepted)
    }

    @Sendable func events(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let (workspace, record) = try run(context)
        var lastEventID = 0
        if let header = request.headers[Self.lastEventIDHeader] {
            let digits = header
            guard (1...9).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(digits) else {
                throw APIProblem(.malformedRequest, "Last-Event-ID must be the id of an event (a whole number)")
            }
            lastEventID = value
        }
        let (frames, close) = streams.subscribe(workspace: workspace, runID: record.id, after: lastEventID)
        let headers: HTTPFields = [
            .contentType: "text/event-stream",
            HTTPField.Name("X-Accel-Buffering")!: "no",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer { close() }
                // On server shutdown the stream ends; the client reconnects with Last-Event-ID.
                try await withGracefulShutdownHandler {
                    for await frame in frames {
                        try await writer.write(frame)
                    }
                } onGracefulShutdown: {
                    close()
                }
                try await writer.finish(nil)
            })
    }

    // MARK: - Helpers

    private func run(_ context: RESTRequestContext) throws -> (DeploymentWorkspace, RunRecord) {
        let id = try context.parameters.require("id")
        guard RunID.isValid(id), let workspace = try? root.deployment(holdingRun: id), let record = try? workspace.record(id) else {
            throw APIProblem(.notFound, "there is no run \(RunID.isValid(id) ? id : "with that id")")
        }
        return (workspace, record)
    }
}
