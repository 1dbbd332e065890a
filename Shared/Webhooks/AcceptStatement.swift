import Foundation
import PostgresNIO

/// The call that accepts a batch of events (`EventStore.accept`): the procedure
/// `hub_webhook_accept` (migration 0028), prepared once per connection, since parsing and
/// planning anew for every publish batch was a third of PostgreSQL's CPU under load. Called with
/// `commit`, it commits before it answers: one round trip where BEGIN, a statement and COMMIT were
/// three, and no row reaches us before its event is durable.
struct AcceptStatement: PostgresPreparedStatement {
    static let name = "hub_webhook_accept_v2"

    /// One row of the answer: an event written, and one of its deliveries if it has any.
    typealias Written = (
        eventID: UUID, deliveryID: UUID?, subscriptionID: UUID?, pending: Bool, claimed: Bool, url: String?, keyID: String?,
        ciphertext: [UInt8]?, previousKeyID: String?, previousCiphertext: [UInt8]?, slackConnection: UUID?, slackChannel: String?
    )
    typealias Row = [Written]

    static let bindingDataTypes: [PostgresDataType] = [
        .uuidArray, .uuidArray, .textArray, .textArray, .textArray, .textArray, .timestamptzArray, .uuidArray, .boolArray,
        .text, .float8, .uuid, .uuidArray, .uuid, .bool,
    ]

    static let sql = """
        CALL hub_webhook_accept($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """

    var events: [EventStore.NewEvent]
    var payloads: [String]
    var claim: [Bool]
    var ticket: DeliveryHandoff.Ticket?
    /// Commit before answering; only for a call outside a transaction.
    var commit: Bool

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        bindings.append(events.map(\.id))
        bindings.append(events.map(\.organizationID))
        bindings.append(events.map(\.type))
        bindings.append(payloads)
        bindings.append(events.map { $0.idempotencyKey ?? "" })
        bindings.append(events.map(\.source.rawValue))
        bindings.append(events.map(\.occurredAt))
        bindings.append(events.map { $0.onlySubscription ?? EventStore.noSubscription })
        bindings.append(claim)
        bindings.append(WebhookSubscription.disabledError)
        bindings.append(ticket?.leaseSeconds ?? 0)
        bindings.append(ticket?.token)
        bindings.append(ticket?.saturated ?? [])
        bindings.append(EventStore.noSubscription)
        bindings.append(commit)
        return bindings
    }

    /// The procedure answers in parallel arrays without NULLs: an absent value is the nil UUID,
    /// '' or an empty bytea.
    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (
            events, deliveries, subscriptions, pending, claimed, urls, keyIDs, ciphertexts, previousKeyIDs, previousCiphertexts, slackConnections,
            slackChannels
        ) =
            try row.decode(
                ([UUID], [UUID], [UUID], [Bool], [Bool], [String], [String], [ByteBuffer], [String], [ByteBuffer], [UUID], [String]).self
            )
        let lengths = [
            deliveries.count, subscriptions.count, pending.count, claimed.count, urls.count, keyIDs.count, ciphertexts.count,
            previousKeyIDs.count, previousCiphertexts.count, slackConnections.count, slackChannels.count,
        ]
        guard lengths.allSatisfy({ $0 == events.count }) else { throw UnevenAnswer(lengths: [events.count] + lengths) }
        let none = EventStore.noSubscription
        func present(_ id: UUID) -> UUID? { id == none ? nil : id }
        func present(_ text: String) -> String? { text.isEmpty ? nil : text }
        func present(_ bytes: ByteBuffer) -> [UInt8]? { bytes.readableBytes == 0 ? nil : Array(bytes.readableBytesView) }
        return events.indices.map { index in
            (
                eventID: events[index], deliveryID: present(deliveries[index]), subscriptionID: present(subscriptions[index]),
                pending: pending[index], claimed: claimed[index], url: present(urls[index]), keyID: present(keyIDs[index]),
                ciphertext: present(ciphertexts[index]), previousKeyID: present(previousKeyIDs[index]),
                previousCiphertext: present(previousCiphertexts[index]), slackConnection: present(slackConnections[index]),
                slackChannel: present(slackChannels[index])
            )
        }
    }
}

/// The accepting procedure answered with arrays of different lengths (it never should).
struct UnevenAnswer: Error, CustomStringConvertible {
    var lengths: [Int]
    var description: String { "hub_webhook_accept answered arrays of lengths \(lengths)" }
}
