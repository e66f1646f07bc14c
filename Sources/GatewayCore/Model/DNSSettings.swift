/// DNS names and the TLS certificate of the S3 endpoint.
public struct DNSSettings: Codable, Sendable, Equatable {
    /// The Route53 public hosted zone, e.g. `example.com` (reference `FQDOMAIN`).
    public var zoneName: String
    /// The S3 host label: the endpoint is `<s3Subdomain>.<zoneName>`, buckets `*.<s3Subdomain>.<zoneName>`.
    public var s3Subdomain: String
    /// Create the Route53 alias records (and DNS validation records).
    public var createRecords: Bool
    /// Create an ACM certificate, or use an existing one.
    public var certificate: CertificateMode
    /// The existing certificate's ARN when ``certificate`` is `existing`.
    public var certificateArn: String
    /// ACM validation method when the certificate is created.
    public var validationMethod: CertificateValidation

    /// Creates DNS settings with the reference defaults.
    public init(
        zoneName: String = "",
        s3Subdomain: String = "s3",
        createRecords: Bool = true,
        certificate: CertificateMode = .create,
        certificateArn: String = "",
        validationMethod: CertificateValidation = .dns
    ) {
        self.zoneName = zoneName
        self.s3Subdomain = s3Subdomain
        self.createRecords = createRecords
        self.certificate = certificate
        self.certificateArn = certificateArn
        self.validationMethod = validationMethod
    }

    /// The zone name without a trailing dot, lowercased.
    public var cleanZoneName: String {
        var zone = zoneName.lowercased()
        while zone.hasSuffix(".") { zone.removeLast() }
        return zone
    }

    /// The S3 endpoint host, e.g. `s3.example.com`.
    public var s3Host: String { "\(s3Subdomain).\(cleanZoneName)" }

    /// The wildcard name for virtual-host-style buckets, e.g. `*.s3.example.com`.
    public var wildcardHost: String { "*.\(s3Host)" }
}

/// Whether the toolkit creates the TLS certificate or uses one that exists.
public enum CertificateMode: String, Codable, Sendable, Equatable, CaseIterable {
    /// Request an ACM certificate for the S3 host and its wildcard, validated as configured.
    case create
    /// Use ``DNSSettings/certificateArn``.
    case existing
}

/// ACM validation method.
public enum CertificateValidation: String, Codable, Sendable, Equatable, CaseIterable {
    /// DNS validation records in the hosted zone (needs `createRecords`).
    case dns = "DNS"
    /// E-mail validation (the listener waits until someone approves).
    case email = "EMAIL"
}
