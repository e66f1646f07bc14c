extension SecretResolver {
    /// A resolver that reads `ssm:/PATH` secrets as decrypted SecureString parameters through `ssm`.
    public init(environment: [String: String], ssm: SSMClient) {
        self.init(environment: environment) { name in
            try await ssm.getParameter(name: name, withDecryption: true).value
        }
    }
}
