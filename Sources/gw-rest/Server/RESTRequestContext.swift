import Hummingbird

/// Per-request context: Hummingbird's core storage plus who the caller authenticated as.
struct RESTRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The short id of the caller's token (see ``TokenDigest/shortID``), once authenticated.
    var caller: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
