import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// An error answered the way the Accounting API answers it: HTTP 400 (or 401/404/500) with
/// `{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":"ValidationFault"},"time":…}`.
/// Clients dispatch on `code` (python-quickbooks: 2000–4999 validation, 610 not found, 500–599
/// unsupported), so every case here names the code Intuit documents for it.
struct QuickBooksFault: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var type: String
    var code: String
    var message: String
    var detail: String
    var element: String?

    static func requiredParameter(_ name: String, entity: QuickBooksEntity) -> QuickBooksFault {
        QuickBooksFault(
            status: .badRequest,
            type: "ValidationFault",
            code: "2020",
            message: "Required param missing, need to supply the required value for the API",
            detail: "Required parameter \(name) is missing in the request",
            element: name
        )
    }

    static func invalidReference(_ element: String, id: String) -> QuickBooksFault {
        QuickBooksFault(
            status: .badRequest,
            type: "ValidationFault",
            code: "2500",
            message: "Invalid Reference Id",
            detail: "Invalid Reference Id : \(element) assigned is invalid (\(id))",
            element: element
        )
    }

    static func stale(_ entity: QuickBooksEntity) -> QuickBooksFault {
        QuickBooksFault(
            status: .badRequest,
            type: "ValidationFault",
            code: "5010",
            message: "Stale Object Error",
            detail: "Stale Object Error : You and sandbox-user were working on this \(entity.rawValue) at the same time. "
                + "sandbox-user finished before you did, so your work was not saved."
        )
    }

    static func notFound(_ entity: QuickBooksEntity, id: String) -> QuickBooksFault {
        QuickBooksFault(
            status: .badRequest,
            type: "ValidationFault",
            code: "610",
            message: "Object Not Found",
            detail: "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, "
                + "customers, items, vendors or employees. (\(entity.rawValue) \(id))"
        )
    }

    static func unsupported(_ operation: String, entity: QuickBooksEntity) -> QuickBooksFault {
        QuickBooksFault(
            status: .badRequest,
            type: "ValidationFault",
            code: "500",
            message: "Unsupported Operation",
            detail: "Operation \(operation) is not supported for \(entity.rawValue)."
        )
    }

    static func invalidQuery(_ detail: String) -> QuickBooksFault {
        QuickBooksFault(status: .badRequest, type: "ValidationFault", code: "4000", message: "Error parsing query", detail: detail)
    }

    static func queryValidation(_ detail: String) -> QuickBooksFault {
        QuickBooksFault(
            status: .badRequest,
            type: "ValidationFault",
            code: "4001",
            message: "Invalid query",
            detail: "QueryValidationError: \(detail)"
        )
    }

    static func badRequest(_ detail: String, element: String? = nil) -> QuickBooksFault {
        QuickBooksFault(
            status: .badRequest,
            type: "ValidationFault",
            code: "2010",
            message: "Request has invalid or unsupported property",
            detail: detail,
            element: element
        )
    }

    static func unknownEntity(_ name: String) -> QuickBooksFault {
        QuickBooksFault(
            status: .badRequest,
            type: "ValidationFault",
            code: "4001",
            message: "Invalid query",
            detail: "QueryValidationError: Unknown entity: \(name)"
        )
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var error: JSONObject = ["Message": .string(message), "Detail": .string(detail), "code": .string(code)]
        if let element { error["element"] = .string(element) }
        let body: JSONValue = [
            "Fault": ["Error": [.object(error)], "type": .string(type)],
            "time": .string(QuickBooksTime.string(QuickBooksTime.now)),
        ]
        return JSONBody.response(body.encoded(), status: status)
    }
}
