import HubCore

extension Console {
    /// A page of one entity of a connection is a 404 unless the connection's provider has the
    /// entity: an editor titled with any text typed into the address would offer settings the API
    /// refuses.
    func requireEntity(_ entity: String, of connection: JSONValue, session: ConsoleSession, requestID: String) async throws {
        let provider = try await api.get(
            "/api/v1/integrations/providers/\(urlComponent(connection["provider"]?.stringValue ?? ""))",
            session: session,
            requestID: requestID
        )
        guard provider["entities"]?.arrayValue?.contains(where: { $0["name"]?.stringValue == entity }) == true else {
            throw ConsolePageError.notFound
        }
    }
}
