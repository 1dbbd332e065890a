import Foundation
import HubCore
import HubWebhooks

/// `POST /api/v1/integrations/events/batch`: up to 100 events in one request, so a producer
/// emitting many does not pay a round trip each. Each event stands alone, as if published by
/// itself: it is read, checked and committed (with its deliveries) or refused on its own, and its
/// idempotency key makes a retried batch answer `duplicate` for the events already in. The answer
/// lists every event's outcome, in the order sent:
/// `{"data": [{"index", "status": "accepted" | "duplicate", "event"} | {"index", "status": "refused", "error"}],
///   "accepted", "duplicates", "refused"}`.
extension EventRoutes {
    enum BatchOutcome: Sendable {
        case event(AcceptedEvent)
        case refused(APIError)
    }

    struct IndexedOutcome: Sendable {
        let index: Int
        let outcome: BatchOutcome
    }

    func publish(_ items: [JSONValue], organization: UUID) async throws -> JSONValue {
        var outcomes: [BatchOutcome?] = Array(repeating: nil, count: items.count)
        var valid: [(index: Int, event: EventStore.NewEvent)] = []
        var keys: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            do {
                let body = try RequestBodyDecoder.decode(PublishEventRequest.self, fromValue: item, named: "events[\(index)]")
                let event = try validate(body, idempotencyKey: body.idempotencyKey)
                if let key = body.idempotencyKey {
                    // Two events of one batch under one key would be one event: the second is the caller's mistake.
                    if let first = keys[key] {
                        throw APIError.validation("'idempotency_key' repeats that of events[\(first)] in this batch", field: "idempotency_key")
                    }
                    keys[key] = index
                }
                valid.append(
                    (
                        index,
                        .init(organizationID: organization, type: event.type, data: event.data, idempotencyKey: body.idempotencyKey, source: .api)
                    )
                )
            } catch let error as APIError {
                outcomes[index] = .refused(error)
            }
        }
        // Submitted together, the events meet in the store's batcher and commit in one
        // transaction; should it fail, the batcher commits them one by one, so each event's
        // outcome is its own.
        let accepted = try await withThrowingTaskGroup(of: IndexedOutcome.self) { group in
            for (index, event) in valid {
                group.addTask {
                    do {
                        return IndexedOutcome(index: index, outcome: .event(try await components.events.accept(event, wakeup: components.wakeup)))
                    } catch let error as APIError {
                        return IndexedOutcome(index: index, outcome: .refused(error))
                    } catch let error as any APIErrorConvertible {
                        return IndexedOutcome(index: index, outcome: .refused(error.apiError))
                    }
                }
            }
            var results: [IndexedOutcome] = []
            for try await result in group { results.append(result) }
            return results
        }
        for result in accepted {
            precondition(outcomes.indices.contains(result.index), "batch outcome \(result.index) of \(outcomes.count)")
            outcomes[result.index] = result.outcome
        }
        return Self.answer(outcomes.map { $0 ?? .refused(APIError.validation("not processed")) })
    }

    static func answer(_ outcomes: [BatchOutcome]) -> JSONValue {
        var counts = (accepted: 0, duplicates: 0, refused: 0)
        let data = outcomes.enumerated().map { index, outcome -> JSONValue in
            switch outcome {
            case .event(let event):
                if event.created { counts.accepted += 1 } else { counts.duplicates += 1 }
                return ["index": .number(Double(index)), "status": event.created ? "accepted" : "duplicate", "event": event.json]
            case .refused(let error):
                counts.refused += 1
                var body: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
                if let details = error.details { body["details"] = details }
                return ["index": .number(Double(index)), "status": "refused", "error": .object(body)]
            }
        }
        return [
            "data": .array(data), "accepted": .number(Double(counts.accepted)), "duplicates": .number(Double(counts.duplicates)),
            "refused": .number(Double(counts.refused)),
        ]
    }
}
