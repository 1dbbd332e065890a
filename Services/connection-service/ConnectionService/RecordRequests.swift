import HubCore

/// `POST`/`PATCH …/connections/{id}/records/{entity}[/{record}]`: canonical fields to set.
struct RecordWriteRequest: StrictDecodable {
    static let allowedFields: Set<String> = ["fields"]

    var fields: JSONValue
}
