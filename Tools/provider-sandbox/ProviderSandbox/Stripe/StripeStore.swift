import Foundation
import HubCore
import Synchronization

/// The emulated Stripe account shared by the API and admin routes: the state behind a mutex (every
/// call is one short critical section, with no suspension inside), the idempotency cache, and the
/// Stripe-specific faults.
final class StripeStore: Sendable {
    private let state: Mutex<StripeState>
    let idempotency = StripeIdempotency()
    /// The next N successful writes are processed but answered 500, as if the response were lost
    /// on the way back: what makes idempotency keys necessary.
    private let lostResponses = Mutex(0)

    init(seed: UInt64, volume: Int) {
        state = Mutex(Self.seeded(seed: seed, volume: volume))
    }

    static func seeded(seed: UInt64, volume: Int) -> StripeState {
        StripeState(seed: seed, volume: volume)
    }

    static var now: Int { Int(Date().timeIntervalSince1970) }

    // MARK: Writes

    /// Runs one change atomically. Returns its result and the events it recorded, in order, even
    /// when it failed part-way (a declined payment records `payment_intent.payment_failed`).
    func write(
        _ change: StripeState.Change,
        _ body: (inout StripeState) throws(StripeAPIError) -> JSONObject
    ) -> (result: Result<JSONObject, StripeAPIError>, events: [[UInt8]]) {
        state.withLock { state in
            state.change = change
            let result: Result<JSONObject, StripeAPIError>
            do throws(StripeAPIError) {
                result = .success(try body(&state))
            } catch {
                result = .failure(error)
            }
            let events = state.emitted
            state.emitted = []
            return (result, events)
        }
    }

    func reset(seed: UInt64, volume: Int) {
        let fresh = Self.seeded(seed: seed, volume: volume)
        state.withLock { $0 = fresh }
        idempotency.removeAll()
    }

    func loseResponses(_ count: Int) {
        lostResponses.withLock { $0 = max(0, count) }
    }

    /// Whether this response is to be lost (and counts it).
    func takeLostResponse() -> Bool {
        lostResponses.withLock { remaining in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }

    // MARK: Reads

    /// A list page as Stripe renders it: `{"object":"list","data":[…],"has_more":…,"url":…}`.
    func list(_ resource: StripeResource, params: JSONObject) throws(StripeAPIError) -> [UInt8] {
        let query = try StripeParameters.listQuery(params, for: resource)
        let page: (objects: [StripeCollection.Stored], hasMore: Bool)
        do {
            page = try state.withLock { state throws(StripeCollection.PageError) in
                try state.collections[resource.path]?.page(query) ?? ([], false)
            }
        } catch {
            switch error {
            case .unknownCursor(let param, let id): throw .missing(resource.object, id: id, param: param)
            }
        }
        return Self.listBody(page.objects.lazy.map(\.bytes), hasMore: page.hasMore, url: "/v1/\(resource.path)")
    }

    static func listBody(_ items: some Sequence<[UInt8]>, hasMore: Bool, url: String) -> [UInt8] {
        var body: [UInt8] = Array(#"{"object":"list","data":["#.utf8)
        var first = true
        for item in items {
            if !first { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: item)
            first = false
        }
        body.append(contentsOf: #"],"has_more":\#(hasMore),"url":"#.utf8)
        JSONValue.writeString(url, into: &body)
        body.append(UInt8(ascii: "}"))
        return body
    }

    func retrieve(_ resource: StripeResource, id: String) throws(StripeAPIError) -> [UInt8] {
        try state.withLock { state throws(StripeAPIError) in
            if let stored = state.stored(resource, id) { return stored.bytes }
            if resource == .customers, state.deletedCustomers.contains(id) {
                return JSONValue.object(["id": .string(id), "object": "customer", "deleted": true]).encoded(.identityFirst)
            }
            throw .missing(resource.object, id: id)
        }
    }

    /// `GET /v1/invoices/{id}/lines`: the embedded lines, paged the same way.
    func invoiceLines(_ id: String, params: JSONObject) throws(StripeAPIError) -> [UInt8] {
        let invoice = try state.withLock { state throws(StripeAPIError) in try state.require(.invoices, id) }
        try StripeParameters.check(params, allowed: ["limit", "starting_after", "ending_before", "expand"])
        let limit = try params["limit"].map { value throws(StripeAPIError) in try StripeParameters.integer(value, "limit") } ?? 10
        var lines = invoice["lines"]?["data"]?.arrayValue ?? []
        if let after = params["starting_after"]?.stringValue, let index = lines.firstIndex(where: { $0["id"]?.stringValue == after }) {
            lines = Array(lines[(index + 1)...])
        }
        let page = lines.prefix(max(1, min(limit, 100)))
        return Self.listBody(page.map { $0.encoded(.identityFirst) }, hasMore: page.count < lines.count, url: "/v1/invoices/\(id)/lines")
    }

    func balance() -> [UInt8] {
        let (available, pending) = state.withLock { ($0.balanceAvailable, $0.balancePending) }
        let body: JSONValue = [
            "object": "balance",
            "available": [["amount": .int(available), "currency": "usd", "source_types": ["card": .int(available)]]],
            "livemode": false,
            "pending": [["amount": .int(pending), "currency": "usd", "source_types": ["card": .int(pending)]]],
        ]
        return body.encoded(.identityFirst)
    }

    func account() -> [UInt8] {
        let id = state.withLock { $0.accountID }
        let body: JSONValue = [
            "id": .string(id), "object": "account", "business_profile": ["name": "Hub Sandbox", "url": .null],
            "charges_enabled": true, "country": "US", "default_currency": "usd", "details_submitted": true,
            "email": "sandbox@example.com", "payouts_enabled": true,
            "settings": ["dashboard": ["display_name": "Hub Sandbox", "timezone": "Etc/UTC"]], "type": "standard",
        ]
        return body.encoded(.identityFirst)
    }

    var accountID: String { state.withLock { $0.accountID } }

    /// Every id of a kind, newest first (admin: lets tests compare a sync with the source).
    func ids(_ resource: StripeResource) -> [String] {
        state.withLock { $0.collections[resource.path]?.idsNewestFirst ?? [] }
    }
}
