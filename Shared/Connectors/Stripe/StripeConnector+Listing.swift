import Foundation
import HubCore

/// Listing, full and incremental.
///
/// A full listing pages newest first with `starting_after`. Before its first page it notes the
/// newest change that exists (`GET /v1/events?limit=1&types[]=…`), and its last page returns that
/// as the checkpoint: whatever changes while a long listing runs is newer than the checkpoint, so
/// the next incremental listing sees it.
///
/// An incremental listing walks the entity's events forward from the checkpoint with
/// `ending_before` (each page is the next-newer slice, returned oldest first), so no event is
/// missed or repeated and every page's cursor is just the newest event returned. Updates to old
/// objects and deletions both arrive this way — unlike `created[gte]`, which sees creation only.
/// Immutable balance transactions walk their own list the same way.
///
/// Stripe keeps 30 days of events. A checkpoint older than that (or whose event Stripe no longer
/// has) cannot be continued: the listing falls back to a full listing, whose records the caller
/// upserts; deletions made during the gap are not reported.
extension StripeConnector {
    /// How old a checkpoint may be before its events may be gone: 30 days less an hour.
    static let eventRetention = 30 * 86_400 - 3_600
    /// Margin for the checkpoint of an account with no events yet, against clock skew.
    static let clockMargin = 300

    var api: StripeAPI { StripeAPI(context: context) }

    public func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        _ = try entityDefinition(request.entity, allowing: .read)
        guard let route = StripeEntityRoute.route(for: request.entity) else {
            throw .unsupported("the Stripe connector cannot list \(request.entity)")
        }
        let limit = min(max(request.pageSize, 1), 100)
        if let cursor = request.cursor {
            let position = try StripeListCursor.decode(cursor)
            switch position.mode {
            case .full: return try await fullPage(route, cursor: position, limit: limit)
            case .changes: return try await changesPage(route, from: position.checkpoint, limit: limit)
            }
        }
        if let since = request.since {
            return try await changes(route, since: try StripeListCursor.Checkpoint.decode(since), limit: limit)
        }
        return try await fullListing(route, limit: limit)
    }

    // MARK: Full listing

    func fullListing(_ route: StripeEntityRoute, limit: Int) async throws(ConnectorError) -> RecordPage {
        let checkpoint = try await currentCheckpoint(route)
        return try await fullPage(route, cursor: StripeListCursor(mode: .full, checkpoint: checkpoint), limit: limit)
    }

    /// The newest change that exists now.
    func currentCheckpoint(_ route: StripeEntityRoute) async throws(ConnectorError) -> StripeListCursor.Checkpoint {
        let page = try await api.get(route.changePath, query: [("limit", "1")] + route.changeQuery, entity: route.entity)
        if let newest = page[stripe: "data"]?.stripeArray?.first, let id = newest[stripe: "id"]?.stripeString {
            return StripeListCursor.Checkpoint(anchor: id, at: newest[stripe: "created"]?.stripeInt ?? Self.now)
        }
        return StripeListCursor.Checkpoint(anchor: nil, at: Self.now - Self.clockMargin)
    }

    func fullPage(_ route: StripeEntityRoute, cursor: StripeListCursor, limit: Int) async throws(ConnectorError) -> RecordPage {
        var query = [("limit", String(limit))]
        if let after = cursor.after { query.append(("starting_after", after)) }
        let page: StripeListPage
        do throws(ConnectorError) {
            page = try await api.list(route.path, query: query, entity: route.entity, id: cursor.after)
        } catch .notFound where cursor.afterCreated != nil {
            // The object to continue after was deleted: carry on from its creation time. Objects
            // of that same second come again; the caller's upsert absorbs them.
            let resume = [("limit", String(limit)), ("created[lte]", String(cursor.afterCreated ?? 0))]
            page = try await api.list(route.path, query: resume, entity: route.entity)
        }
        let records = try page.records(route)
        guard page.hasMore, let last = page.items.last else {
            return RecordPage(records: records, nextCursor: nil, checkpoint: cursor.checkpoint.encoded)
        }
        let next = StripeListCursor(
            mode: .full,
            after: last[stripe: "id"]?.stripeString,
            afterCreated: last[stripe: "created"]?.stripeInt,
            checkpoint: cursor.checkpoint
        )
        return RecordPage(records: records, nextCursor: next.encoded)
    }

    // MARK: Incremental listing

    func changes(_ route: StripeEntityRoute, since checkpoint: StripeListCursor.Checkpoint, limit: Int) async throws(ConnectorError) -> RecordPage {
        // Events expire after 30 days; immutable objects' own lists do not.
        if route.eventTypes != nil, Self.now - checkpoint.at > Self.eventRetention {
            return try await fullListing(route, limit: limit)
        }
        guard checkpoint.anchor != nil else { return try await firstChanges(route, since: checkpoint, limit: limit) }
        do throws(ConnectorError) {
            return try await changesPage(route, from: checkpoint, limit: limit)
        } catch .notFound {
            // Stripe no longer has the checkpoint's event.
            return try await fullListing(route, limit: limit)
        }
    }

    /// The next-newer slice of changes after `checkpoint.anchor`.
    func changesPage(_ route: StripeEntityRoute, from checkpoint: StripeListCursor.Checkpoint, limit: Int) async throws(ConnectorError) -> RecordPage
    {
        guard let anchor = checkpoint.anchor else { return try await firstChanges(route, since: checkpoint, limit: limit) }
        let query = [("limit", String(limit)), ("ending_before", anchor)] + route.changeQuery
        let page = try await api.get(route.changePath, query: query, entity: route.entity, id: anchor)
        let items = page[stripe: "data"]?.stripeArray ?? []
        return try Self.changesPage(route, newestFirst: items[...], hasMore: page[stripe: "has_more"]?.stripeBool == true, after: checkpoint)
    }

    /// Changes since a checkpoint taken when there were none: there is no event to walk forward
    /// from, so walk back to the oldest change since its time and return from there.
    func firstChanges(
        _ route: StripeEntityRoute,
        since checkpoint: StripeListCursor.Checkpoint,
        limit: Int
    ) async throws(ConnectorError) -> RecordPage {
        let base = [("limit", "100"), ("created[gte]", String(checkpoint.at))] + route.changeQuery
        var page = try await api.get(route.changePath, query: base, entity: route.entity)
        var newer = false
        while page[stripe: "has_more"]?.stripeBool == true, let last = page[stripe: "data"]?.stripeArray?.last?[stripe: "id"]?.stripeString {
            page = try await api.get(route.changePath, query: base + [("starting_after", last)], entity: route.entity, id: last)
            newer = true
        }
        let oldest = page[stripe: "data"]?.stripeArray ?? []
        let slice = oldest.suffix(limit)
        return try Self.changesPage(route, newestFirst: slice, hasMore: newer || oldest.count > slice.count, after: checkpoint)
    }

    /// Turns a slice of changes (newest first, as Stripe lists them) into a page: applied oldest
    /// first, so an object's latest state wins and a deletion after an update is a deletion.
    static func changesPage(
        _ route: StripeEntityRoute,
        newestFirst items: ArraySlice<JSONValue>,
        hasMore: Bool,
        after checkpoint: StripeListCursor.Checkpoint
    ) throws(ConnectorError) -> RecordPage {
        var order: [String] = []
        var latest: [String: ProviderRecord] = [:]
        var deleted: Set<String> = []
        for item in items.reversed() {
            if route.eventTypes == nil {
                let record = try record(item, route: route, changedAt: nil)
                if latest.updateValue(record, forKey: record.externalID) == nil { order.append(record.externalID) }
                continue
            }
            guard let object = item[stripe: "data"]?[stripe: "object"], object[stripe: "object"]?.stripeString == route.object,
                let type = item[stripe: "type"]?.stripeString
            else { continue }
            let record = try record(object, route: route, changedAt: item[stripe: "created"]?.stripeInt)
            if latest[record.externalID] == nil, !deleted.contains(record.externalID) { order.append(record.externalID) }
            if route.deletionTypes.contains(type) {
                latest[record.externalID] = nil
                deleted.insert(record.externalID)
            } else {
                latest[record.externalID] = record
                deleted.remove(record.externalID)
            }
        }
        var newest = checkpoint
        if let first = items.first, let id = first[stripe: "id"]?.stripeString {
            newest = StripeListCursor.Checkpoint(anchor: id, at: first[stripe: "created"]?.stripeInt ?? checkpoint.at)
        }
        let records = order.compactMap { latest[$0] }
        let deletedIDs = order.filter { deleted.contains($0) }
        if hasMore {
            let next = StripeListCursor(mode: .changes, checkpoint: newest)
            return RecordPage(records: records, deletedIDs: deletedIDs, nextCursor: next.encoded)
        }
        return RecordPage(records: records, deletedIDs: deletedIDs, nextCursor: nil, checkpoint: newest.encoded)
    }

    // MARK: Records

    /// A Stripe object as a record. `updatedAt` is the change's time for an incremental listing,
    /// or the object's own `updated` where it has one (products).
    static func record(_ object: JSONValue, route: StripeEntityRoute, changedAt: Int?) throws(ConnectorError) -> ProviderRecord {
        guard let id = object[stripe: "id"]?.stripeString else {
            throw .invalidResponse("a Stripe \(route.object) without an id")
        }
        let time = changedAt ?? object[stripe: "updated"]?.stripeInt
        return ProviderRecord(externalID: id, updatedAt: time.map { Date(timeIntervalSince1970: TimeInterval($0)) }, payload: object)
    }

    static var now: Int { Int(Date().timeIntervalSince1970) }
}
