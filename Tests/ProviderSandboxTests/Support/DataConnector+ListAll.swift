import HubConnectors

extension DataConnector {
    /// Every page of a listing, following the cursor to the end: the records, the deletions,
    /// how many pages it took and the checkpoint of the last.
    func listAll(
        _ entity: String,
        pageSize: Int,
        since: String? = nil
    ) async throws -> (records: [ProviderRecord], deleted: [String], pages: Int, checkpoint: String?) {
        var records: [ProviderRecord] = []
        var deleted: [String] = []
        var cursor: String?
        var pages = 0
        while true {
            let page = try await list(ListRequest(entity: entity, cursor: cursor, since: since, pageSize: pageSize))
            pages += 1
            records += page.records
            deleted += page.deletedIDs
            guard let next = page.nextCursor else { return (records, deleted, pages, page.checkpoint) }
            cursor = next
        }
    }
}
