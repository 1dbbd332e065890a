import HubCore

extension CanonicalEntity {
    /// Why a local write's field cannot be stored, and where (`fields.lines[0].amount`).
    public struct WriteRefusal: Error, Sendable, Equatable {
        public var message: String
        public var place: String
    }

    /// Checks the fields of a local write (the records API, Zapier actions): each a field of the
    /// entity holding a value that fits it, and inside an object or array whose members the
    /// schema declares (an `address`, document `lines`), each member known and fitting too. A
    /// push would otherwise fail on the value every time, or drop the member, later.
    public func check(write fields: [String: JSONValue]) throws(WriteRefusal) {
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            let place = "fields.\(name)"
            guard let field = field(name) else { throw WriteRefusal(message: "'\(name.excerpt())' is not a field of \(self.name)", place: place) }
            if let problem = value.misfit(field) { throw WriteRefusal(message: problem, place: place) }
            guard let shape = CanonicalSchema.shape(of: self.name, field: name) else { continue }
            switch value {
            case .object(let members):
                try shape.check(members: members, of: name, at: place)
            case .array(let elements):
                for (index, element) in elements.enumerated() {
                    guard case .object(let members) = element else {
                        throw WriteRefusal(
                            message: "each element of '\(name)' must be an object of \(shape.name) fields",
                            place: "\(place)[\(index)]"
                        )
                    }
                    try shape.check(members: members, of: "\(name)[\(index)]", at: "\(place)[\(index)]")
                }
            default:
                continue
            }
        }
    }

    /// Members of the object `owner` (a field's value, or one element of it), at `place`.
    func check(members: [String: JSONValue], of owner: String, at place: String) throws(WriteRefusal) {
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            guard let field = field(name) else {
                let known = fields.map(\.name).joined(separator: ", ")
                throw WriteRefusal(message: "'\(name.excerpt())' is not a member of '\(owner)' (\(known))", place: "\(place).\(name)")
            }
            if let problem = value.misfit(field) { throw WriteRefusal(message: problem, place: "\(place).\(name)") }
        }
    }
}
