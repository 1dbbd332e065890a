import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// The v4 batch association writes:
///
/// - `POST v4/associations/{type}/{toType}/batch/associate/default`: `inputs` of
///   `{"from":{"id"},"to":{"id"}}` (at most 2,000), each given the pair's default type. 200 with
///   every pair in `results`; 207 when some pair names an object that is not there, each such
///   input in `errors` with its ids in `context`.
/// - `POST v4/associations/{type}/{toType}/batch/archive`: `inputs` of
///   `{"from":{"id"},"to":[{"id"}]}`, every association between each pair removed; 204 whatever
///   existed.
extension HubSpotRoutes {
    static let largestAssociationBatch = 2_000

    func addAssociationWrites(to group: RouterGroup<SandboxContext>) {
        group.post("v4/associations/:type/:toType/batch/associate/default") { request, context in
            await serve(request, context) { portal in
                let (type, target, inputs) = try await Self.associationBatch(request, context)
                let started = HubSpotBatch.now()
                var results: [JSONValue] = []
                var errors: [JSONValue] = []
                provider.store.withPortal(portal) { state in
                    for input in inputs {
                        let from = input["from"]?["id"].flatMap(HubSpotSearch.text)
                        let to = input["to"]?["id"].flatMap(HubSpotSearch.text)
                        if let from, let to, let fromID = Int64(from), let toID = Int64(to), state.associate(type, fromID, with: target, toID) {
                            results.append([
                                "associationSpec": [
                                    "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": .int(type.defaultAssociationTypeID(to: target)),
                                ],
                                "from": ["id": .string(from)], "to": ["id": .string(to)],
                            ])
                        } else {
                            errors.append(
                                HubSpotBatch.error(
                                    category: "VALIDATION_ERROR",
                                    message: "No \(type.singular) \(from ?? "?") or \(target.singular) \(to ?? "?") to associate",
                                    context: ["fromObjectId": [.string(from ?? "")], "toObjectId": [.string(to ?? "")]]
                                )
                            )
                        }
                    }
                }
                let body = HubSpotBatch.answer(results: results, errors: errors, startedAt: started)
                return (HubSpotReply(status: errors.isEmpty ? .ok : HTTPResponse.Status(code: 207), body: body), [])
            }
        }
        group.post("v4/associations/:type/:toType/batch/archive") { request, context in
            await serve(request, context) { portal in
                let (type, target, inputs) = try await Self.associationBatch(request, context)
                provider.store.withPortal(portal) { state in
                    for input in inputs {
                        guard let from = input["from"]?["id"].flatMap(HubSpotSearch.text).flatMap(Int64.init) else { continue }
                        for to in input["to"]?.arrayValue ?? [] {
                            guard let toID = to["id"].flatMap(HubSpotSearch.text).flatMap(Int64.init) else { continue }
                            state.dissociate(type, from, from: target, toID)
                        }
                    }
                }
                return (HubSpotReply(status: .noContent, body: [:]), [])
            }
        }
    }

    /// The object types of a batch association call and its `inputs`, within the batch limit.
    static func associationBatch(
        _ request: Request,
        _ context: SandboxContext
    ) async throws -> (HubSpotObjectType, HubSpotObjectType, [JSONValue]) {
        let type = try Self.type(context)
        guard let target = HubSpotObjectType.named(try context.parameters.require("toType")) else { throw HubSpotAPIError.notFound() }
        guard let inputs = (try await Self.body(request, context))["inputs"]?.arrayValue else {
            throw HubSpotAPIError.validation("Invalid input JSON: inputs is required")
        }
        guard inputs.count <= largestAssociationBatch else {
            throw HubSpotAPIError.validation("Batch input limit is \(largestAssociationBatch), was \(inputs.count)")
        }
        return (type, target, inputs)
    }
}
