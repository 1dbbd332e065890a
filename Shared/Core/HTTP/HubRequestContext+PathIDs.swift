import Foundation
import Hummingbird

extension HubRequestContext {
    /// The UUID in the path parameter `name`. A value that is not a UUID names nothing, so it is
    /// the same 404 as an unknown id; `what` names the resource in the message.
    public func pathID(_ name: String, of what: String) throws -> UUID {
        guard let id = UUID(uuidString: try parameters.require(name)) else { throw APIError.notFound(what) }
        return id
    }
}
