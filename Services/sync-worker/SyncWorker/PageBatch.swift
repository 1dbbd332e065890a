import HubConnections
import HubConnectors
import HubSync
import Synchronization

/// Consecutive provider pages a pull writes in one transaction, with the cursor after the last:
/// the pages fetched while the previous write ran, so a slow store gets fewer, bigger writes and a
/// slow provider still one page each. A page with deletions ends a batch, so deletions always come
/// after every record listed before them, as page by page.
struct PageBatch: Sendable {
    /// The pages' records, each id once (a later page's version wins).
    private(set) var records: [PreparedRecord] = []
    private(set) var deletedIDs: [String] = []
    private(set) var pages = 0
    /// Where the next batch starts; nil after the last page.
    private(set) var nextCursor: String?
    /// The last page's checkpoint (for the next incremental pull).
    private(set) var checkpoint: String?
    /// The latest API allowance a page reported: kept on the connection once per batch.
    private(set) var quota: ProviderQuota?
    /// Whether the pages belong to a listing that relists everything in place of an incremental
    /// one: the pull marks what it sees and sweeps the rest at its end.
    private(set) var isFullRelisting = false
    private var ids: Set<String> = []

    var isLast: Bool { pages > 0 && nextCursor == nil }

    /// Whether no more pages may join: the listing ended, a page had deletions, or the batch is full.
    func isClosed(maxPages: Int) -> Bool { isLast || !deletedIDs.isEmpty || pages >= maxPages }

    mutating func append(_ page: RecordPage, prepared: [PreparedRecord]) {
        let repeated = prepared.contains { ids.contains($0.externalID) }
        if repeated {
            let newer = Set(prepared.map(\.externalID))
            records.removeAll { newer.contains($0.externalID) }
        }
        records += prepared
        ids.formUnion(prepared.lazy.map(\.externalID))
        deletedIDs += page.deletedIDs
        pages += 1
        nextCursor = page.nextCursor
        checkpoint = page.checkpoint
        quota = page.quota ?? quota
        isFullRelisting = isFullRelisting || page.isFullRelisting
    }

    /// Set when a write has finished: a fetch of the following batch stops after its current page.
    final class WriteFinished: Sendable {
        private let done = Atomic<Bool>(false)

        init() {}

        func signal() { done.store(true, ordering: .releasing) }
        var isSignalled: Bool { done.load(ordering: .acquiring) }
    }
}
