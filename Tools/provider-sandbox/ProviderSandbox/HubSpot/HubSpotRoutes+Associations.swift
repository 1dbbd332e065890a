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
/// - `POST v4/associations/{type}/{toType}/batch/create`: `inputs` of
///   `{"from":{"id"},"to":{"id"},"types":[{"associationCategory","associationTypeId"}]}`, each
///   pair associated with the types given: the pair's primary type labels it "Primary" (a contact
///   or deal has one primary company: the former one keeps only its unlabeled association). 201
///   with `results` of `{"fromObjectTypeId","fromObjectId","toObjectTypeId","toObjectId","labels"}`;
///   207 as `associate/default`'s when some pair names an object that is not there, or an unknown type.
/// - `POST v4/associations/{type}/{toType}/batch/archive`: `inputs` of
///   `{"from":{"id"},"to":[{"id"}]}`, every association between each pair removed; 204 whatever
///   existed.
extension HubSpotRoutes {
    static let largestAssociationBatch = 2_000

    func addAssociationWrites(to group: RouterGroup<SandboxContext>) {
        group.post("v4/associations/:type/:toType/batch/associate/default") { request, context in
            await associationWrite(request, context, succeeding: .ok) { state, type, target, _, from, to in
                guard let fromID = Int64(from), let toID = Int64(to), state.associate(type, fromID, with: target, toID) else {
                    return .failure("No \(type.singular) \(from) or \(target.singular) \(to) to associate")
                }
                return .success([
                    "associationSpec": [
                        "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": .int(type.defaultAssociationTypeID(to: target)),
                    ],
                    "from": ["id": .string(from)], "to": ["id": .string(to)],
                ])
            }
        }
        group.post("v4/associations/:type/:toType/batch/create") { request, context in
            await associationWrite(request, context, succeeding: .created) { state, type, target, input, from, to in
                let typeIDs = (input["types"]?.arrayValue ?? []).compactMap { $0["associationTypeId"]?.intValue }
                guard let kind = type.association(typeIDs), kind.target == target else {
                    return .failure("Unknown association types \(typeIDs) from \(type.rawValue) to \(target.rawValue)")
                }
                guard let fromID = Int64(from), let toID = Int64(to), state.associate(type, fromID, with: target, toID, primary: kind.primary)
                else { return .failure("No \(type.singular) \(from) or \(target.singular) \(to) to associate") }
                return .success([
                    "fromObjectTypeId": .string(type.objectTypeID), "fromObjectId": .string(from),
                    "toObjectTypeId": .string(target.objectTypeID), "toObjectId": .string(to),
                    "labels": kind.primary ? ["Primary"] : [],
                ])
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

    /// Why one input of a batch association write was refused.
    struct AssociationRefusal: Error, ExpressibleByStringInterpolation {
        let message: String

        init(stringLiteral value: String) {
            message = value
        }
    }

    /// A batch association write: `write` associates each input's pair (ids as given) and answers
    /// its result entry, or why it was refused; `succeeding` when none was, else 207 with each
    /// refused input in `errors`, its ids in `context`.
    func associationWrite(
        _ request: Request,
        _ context: SandboxContext,
        succeeding status: HTTPResponse.Status,
        _ write:
            @escaping (inout HubSpotPortal, HubSpotObjectType, HubSpotObjectType, JSONValue, String, String) -> Result<JSONValue, AssociationRefusal>
    ) async -> Response {
        await serve(request, context) { portal in
            let (type, target, inputs) = try await Self.associationBatch(request, context)
            let started = HubSpotBatch.now()
            var results: [JSONValue] = []
            var errors: [JSONValue] = []
            provider.store.withPortal(portal) { state in
                for input in inputs {
                    let from = input["from"]?["id"].flatMap(HubSpotSearch.text) ?? "?"
                    let to = input["to"]?["id"].flatMap(HubSpotSearch.text) ?? "?"
                    switch write(&state, type, target, input, from, to) {
                    case .success(let result): results.append(result)
                    case .failure(let refusal):
                        errors.append(
                            HubSpotBatch.error(
                                category: "VALIDATION_ERROR",
                                message: refusal.message,
                                context: ["fromObjectId": [.string(from)], "toObjectId": [.string(to)]]
                            )
                        )
                    }
                }
            }
            let body = HubSpotBatch.answer(results: results, errors: errors, startedAt: started)
            return (HubSpotReply(status: errors.isEmpty ? status : HTTPResponse.Status(code: 207), body: body), [])
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
