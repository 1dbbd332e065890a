import Foundation
import HubCore

/// One object as the provider holds it: its id, when it last changed, and its raw payload.
/// Two records are equal when these are; `payloadText` is how one of them was written.
public struct ProviderRecord: Sendable, Equatable {
    public var externalID: String
    /// The provider's own last-modified time, when it has one.
    public var updatedAt: Date?
    public var payload: JSONValue
    /// `payload` as the provider wrote it (less whitespace between tokens), where the connector
    /// took the object unchanged from a listing: stored as it is instead of being written again.
    /// Nil where the connector built or changed the object.
    public var payloadText: ArraySlice<UInt8>?

    public init(externalID: String, updatedAt: Date?, payload: JSONValue, payloadText: ArraySlice<UInt8>? = nil) {
        self.externalID = externalID
        self.updatedAt = updatedAt
        self.payload = payload
        self.payloadText = payloadText
    }

    public static func == (lhs: ProviderRecord, rhs: ProviderRecord) -> Bool {
        lhs.externalID == rhs.externalID && lhs.updatedAt == rhs.updatedAt && lhs.payload == rhs.payload
    }
}

/// Which page of which listing to fetch.
public struct ListRequest: Sendable, Equatable {
    /// The hub entity type (`customers`, `bank_transactions`).
    public var entity: String
    /// The cursor the previous page of this listing returned; nil for the first page.
    public var cursor: String?
    /// Where the last completed listing ended (its `RecordPage.checkpoint`); nil lists everything.
    /// With a checkpoint the connector returns only what changed since, deletions included.
    public var since: String?
    public var pageSize: Int

    public init(entity: String, cursor: String? = nil, since: String? = nil, pageSize: Int = 100) {
        self.entity = entity
        self.cursor = cursor
        self.since = since
        self.pageSize = pageSize
    }
}

/// One page of a listing. Cursors are opaque strings the caller stores and hands back; a crash
/// between pages resumes from the stored cursor.
public struct RecordPage: Sendable, Equatable {
    /// Created or changed objects (for an incremental listing, only changed ones).
    public var records: [ProviderRecord]
    /// Ids the provider reports as deleted since the checkpoint.
    public var deletedIDs: [String]
    /// The cursor of the next page, or nil when this was the last page.
    public var nextCursor: String?
    /// On the last page: the position to pass as `since` next time for an incremental listing.
    public var checkpoint: String?
    /// The API allowance the provider reported with this page, where it reports one.
    public var quota: ProviderQuota?
    /// Set on every page of a listing asked for changes since a checkpoint that lists everything
    /// instead, because the provider no longer keeps its changes that far back (Salesforce's
    /// 15-day deletion log): the deletions in between are unknown, so what the listing does not
    /// name is gone, as after a full resync.
    public var isFullRelisting: Bool

    public init(
        records: [ProviderRecord],
        deletedIDs: [String] = [],
        nextCursor: String?,
        checkpoint: String? = nil,
        quota: ProviderQuota? = nil,
        isFullRelisting: Bool = false
    ) {
        self.records = records
        self.deletedIDs = deletedIDs
        self.nextCursor = nextCursor
        self.checkpoint = checkpoint
        self.quota = quota
        self.isFullRelisting = isFullRelisting
    }
}

/// The result of testing a credential.
public struct ConnectionCheck: Sendable, Equatable {
    /// The provider's identifier of the account the credential reaches (Stripe `acct_…`, a shop
    /// domain, a Plaid item id): inbound webhooks are routed by it.
    public var accountID: String?
    public var accountName: String?
    /// Every tenant the grant reaches, where one grant may reach several (Xero); when there are
    /// several and `accountID` is nil, the user must choose.
    public var tenants: [ProviderTenant]

    public init(accountID: String?, accountName: String?, tenants: [ProviderTenant] = []) {
        self.accountID = accountID
        self.accountName = accountName
        self.tenants = tenants
    }
}
