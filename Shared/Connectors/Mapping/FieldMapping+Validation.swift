import HubCore

extension FieldMapping {
    /// The most rules a mapping may hold, counting those of `each`.
    public static let maximumRules = 500

    /// Checks the mapping against the canonical `entity`, throwing at the first problem with the
    /// exact place: a malformed path (`rules[2].source`), an unknown transform or a missing
    /// parameter (`rules[1].transforms[0].exponent`), a target the entity lacks or one mapped
    /// twice (`rules[0].target`), and types that cannot fit: a transform fed what it cannot read
    /// (`upper` after `decimal_to_minor`), a result the target cannot hold (`unix_to_date` into a
    /// datetime), or a `constant`, `default` or `lookup` value that does not fit the target.
    /// Rules with `each` are checked element by element against the shape the schema gives the
    /// array's elements (`CanonicalSchema.elements(of:field:)`), with places such as
    /// `rules[4].each[1].transforms[0].type`.
    public func validate(entity: String) throws(FieldMappingError) {
        guard let canonical = CanonicalSchema.entity(entity) else {
            throw FieldMappingError(path: "entity", message: "'\(entity)' is not a canonical entity")
        }
        // Each rule is checked against those before it: a bound keeps a crafted mapping of
        // thousands of rules from costing minutes of CPU. No entity has a tenth as many fields.
        let count = rules.reduce(0) { $0 + 1 + ($1.each?.count ?? 0) }
        guard count <= Self.maximumRules else {
            throw FieldMappingError(
                path: "rules",
                message: "a mapping holds at most \(Self.maximumRules) rules (elements' rules included); this one has \(count)"
            )
        }
        var compiled: [CompiledMapping.Rule] = []
        for (index, rule) in rules.enumerated() { compiled.append(try CompiledMapping.compile(rule, index: index)) }
        try Self.check(compiled, against: canonical, entity: entity)
    }

    /// Checks compiled rules against the fields of `canonical` (an entity, or the shape of an
    /// array's elements, named `entity` in messages).
    private static func check(_ rules: [CompiledMapping.Rule], against canonical: CanonicalEntity, entity: String) throws(FieldMappingError) {
        var claimed: [(target: FieldPath, direction: FieldRule.Direction, label: String)] = []
        for compiled in rules {
            let label = compiled.label
            guard let field = canonical.field(compiled.target.head) else {
                throw FieldMappingError(path: "\(label).target", message: "'\(compiled.target.head)' is not a field of \(entity)")
            }
            if compiled.topLevelTarget == nil, field.type != .object {
                throw FieldMappingError(
                    path: "\(label).target",
                    message: "'\(field.name)' of \(entity) is \(field.type.rawValue), not an object with fields"
                )
            }
            if let earlier = claimed.first(where: { overlap($0.target, compiled.target) && overlap($0.direction, compiled.direction) }) {
                throw FieldMappingError(path: "\(label).target", message: "'\(compiled.target.text)' is already mapped by \(earlier.label)")
            }
            claimed.append((compiled.target, compiled.direction, label))
            if let elements = compiled.elements {
                guard field.type == .array else {
                    throw FieldMappingError(
                        path: "\(label).target",
                        message: "'\(field.name)' of \(entity) is \(field.type.rawValue); only an array has elements to map"
                    )
                }
                guard let shape = CanonicalSchema.elements(of: entity, field: field.name) else {
                    throw FieldMappingError(
                        path: "\(label).each",
                        message: "the elements of '\(field.name)' of \(entity) have no canonical shape to map into"
                    )
                }
                try check(elements.all, against: shape, entity: "\(entity).\(field.name)[]")
                continue
            }
            // Inside a canonical object the sub-fields have no declared type to check against.
            try checkTypes(
                of: compiled,
                fitting: compiled.topLevelTarget == nil ? nil : field,
                wildcard: compiled.source?.hasWildcard ?? false,
                entity: entity
            )
        }
    }

    /// Whether two targets write the same place: equal, or one inside the other.
    private static func overlap(_ lhs: FieldPath, _ rhs: FieldPath) -> Bool {
        let (short, long) = lhs.keys.count <= rhs.keys.count ? (lhs.keys, rhs.keys) : (rhs.keys, lhs.keys)
        return Array(long.prefix(short.count)) == short
    }

    /// A `pull` rule and a `push` rule may share a target: one reads it, the other writes it.
    private static func overlap(_ lhs: FieldRule.Direction, _ rhs: FieldRule.Direction) -> Bool {
        !((lhs == .pull && rhs == .push) || (lhs == .push && rhs == .pull))
    }

    // MARK: Types

    private static func checkTypes(
        of rule: CompiledMapping.Rule,
        fitting field: CanonicalField?,
        wildcard: Bool,
        entity: String
    )
        throws(FieldMappingError)
    {
        var current = rule.source == nil ? StaticType.none : StaticType.any
        for (position, step) in rule.steps.enumerated() {
            let place = "\(rule.label).transforms[\(position)]"
            current = try step.staticOutput(from: current, at: place)
            if position == rule.steps.count - 1, let field, !wildcard {
                for (suffix, value) in step.producedValues {
                    if let problem = value.misfit(field) { throw FieldMappingError(path: place + suffix, message: problem) }
                }
            }
        }
        guard let field else { return }
        let produced = wildcard ? StaticType(kinds: .array) : current
        let name = "'\(field.name)' of \(entity)"
        if wildcard, field.type != .array {
            throw FieldMappingError(
                path: "\(rule.label).source",
                message: "'\(rule.source?.text ?? "")' reads every element, so \(name) must be an array"
            )
        }
        guard !produced.kinds.isDisjoint(with: field.type.acceptedKinds) else {
            throw FieldMappingError(
                path: "\(rule.label).target",
                message: "\(name) is \(field.type.rawValue) but the transforms produce \(produced.kinds.name)"
            )
        }
        if field.type == .datetime, produced.format == .date {
            throw FieldMappingError(path: "\(rule.label).target", message: "\(name) is an instant but the transforms produce a date")
        }
        if field.type == .date, produced.format == .datetime {
            throw FieldMappingError(path: "\(rule.label).target", message: "\(name) is a date but the transforms produce an instant")
        }
    }
}

/// What a rule's value can be at some step, as far as can be known without data.
struct StaticType {
    struct Kinds: OptionSet {
        let rawValue: Int
        static let string = Kinds(rawValue: 1)
        static let number = Kinds(rawValue: 2)
        static let bool = Kinds(rawValue: 4)
        static let object = Kinds(rawValue: 8)
        static let array = Kinds(rawValue: 16)
        static let all: Kinds = [.string, .number, .bool, .object, .array]

        init(rawValue: Int) { self.rawValue = rawValue }

        init(of value: JSONValue) {
            switch value {
            case .null: self = []
            case .string: self = .string
            case .number: self = .number
            case .bool: self = .bool
            case .object: self = .object
            case .array: self = .array
            }
        }

        var name: String {
            if self == .all { return "anything" }
            let names = [(Kinds.string, "text"), (.number, "a number"), (.bool, "a boolean"), (.object, "an object"), (.array, "an array")]
            let parts = names.filter { contains($0.0) }.map(\.1)
            return parts.isEmpty ? "only null" : parts.joined(separator: " or ")
        }
    }

    enum Format {
        case datetime, date
    }

    var kinds: Kinds
    var format: Format?

    init(kinds: Kinds, format: Format? = nil) {
        self.kinds = kinds
        self.format = format
    }

    static let any = StaticType(kinds: .all)
    /// No source: nothing but what a `constant` or `default` supplies.
    static let none = StaticType(kinds: [])
}

extension TransformStep {
    /// The type this step produces from `input`, or an error when it cannot read any of it.
    fileprivate func staticOutput(from input: StaticType, at place: String) throws(FieldMappingError) -> StaticType {
        let (accepted, output): (StaticType.Kinds, StaticType) =
            switch self {
            case .minorToDecimal(_, let asString): (.number, StaticType(kinds: asString ? .string : .number))
            case .decimalToMinor: ([.number, .string], StaticType(kinds: .number))
            case .unixToISO: (.number, StaticType(kinds: .string, format: .datetime))
            case .unixToDate: (.number, StaticType(kinds: .string, format: .date))
            case .isoToUnix, .dateToUnix, .msDateToUnix: (.string, StaticType(kinds: .number))
            case .unixToMSDate: (.number, StaticType(kinds: .string))
            case .isoToUTC: (.string, StaticType(kinds: .string, format: .datetime))
            case .upper, .lower: (.string, StaticType(kinds: .string))
            case .trim: (.string, StaticType(kinds: .string, format: input.format))
            case .toString: ([.string, .number, .bool], StaticType(kinds: .string))
            case .toNumber: ([.string, .number], StaticType(kinds: .number))
            case .negate: (.number, StaticType(kinds: .number))
            case .identity: (.all, input)
            case .constant(let value): (.all, StaticType(kinds: .init(of: value)))
            case .defaultValue(let value): (.all, StaticType(kinds: input.kinds.union(.init(of: value)), format: input.format))
            case .lookup(let table, let fallback):
                (
                    [.string, .number, .bool],
                    StaticType(kinds: (Array(table.values) + [fallback ?? .null]).reduce(into: []) { $0.formUnion(.init(of: $1)) })
                )
            }
        // Without a source only `constant` and `default` have anything to read; others pass nothing.
        if !input.kinds.isEmpty, input.kinds.isDisjoint(with: accepted) {
            throw FieldMappingError(path: "\(place).type", message: "this transform needs \(accepted.name) but gets \(input.kinds.name)")
        }
        return output
    }

    /// The literal values this step can produce, each with where it sits in the transform's JSON.
    fileprivate var producedValues: [(String, JSONValue)] {
        switch self {
        case .constant(let value), .defaultValue(let value): [(".value", value)]
        case .lookup(let table, let fallback):
            table.sorted { $0.key < $1.key }.map { (".table.\($0.key)", $0.value) } + (fallback.map { [(".fallback", $0)] } ?? [])
        default: []
        }
    }
}

extension FieldType {
    /// The JSON kinds a canonical field of this type holds (besides null).
    fileprivate var acceptedKinds: StaticType.Kinds {
        switch self {
        case .string, .email, .url, .currency, .id, .datetime, .date: .string
        case .integer, .money, .decimal: .number
        case .boolean: .bool
        case .object: .object
        case .array: .array
        }
    }
}

extension JSONValue {
    /// Why this literal cannot be stored in `field`, or nil when it can: a mapping's constant, or
    /// a canonical field written through the records API.
    /// `local@domain.tld` in shape: one `@`, something on each side, a dot in the domain, no
    /// spaces. Providers check deliverability; this keeps plainly wrong text from reaching them.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, text.count <= 254, !text.contains(where: \.isWhitespace) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    public func misfit(_ field: CanonicalField) -> String? {
        let shown = TransformStep.describe(self)
        switch (field.type, self) {
        case (_, .null): return field.required ? "'\(field.name)' is required; null does not fit" : nil
        case (.money, _), (.integer, _): return intValue == nil ? "\(shown) is not a whole number for '\(field.name)'" : nil
        case (.decimal, .number): return nil
        case (.boolean, .bool), (.object, .object), (.array, .array): return nil
        case (.email, .string(let text)):
            return Self.looksLikeEmail(text) ? nil : "\(shown) is not an email address for '\(field.name)'"
        case (.string, .string), (.url, .string), (.id, .string): return nil
        case (.currency, .string(let code)):
            return code.count == 3 && code.allSatisfy({ $0.isASCII && $0.isLetter }) ? nil : "\(shown) is not an ISO 4217 currency code"
        case (.datetime, .string(let text)):
            return ISOTimestamp.unix(iso: text) == nil ? "\(shown) is not an ISO 8601 instant" : nil
        case (.date, .string(let text)):
            return ISOTimestamp.unix(date: text) == nil ? "\(shown) is not a YYYY-MM-DD date" : nil
        default: return "\(shown) does not fit '\(field.name)', which is \(field.type.rawValue)"
        }
    }
}
