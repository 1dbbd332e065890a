import HubCore

/// A `FieldMapping` with its paths parsed and transforms compiled, built once per mapping so
/// `map` costs only the reads, the transforms and the writes.
final class CompiledMapping: Sendable {
    /// A class, not a struct: `map` walks the rules once per record, and a class costs one
    /// retain per rule where a struct of strings and arrays costs several.
    final class Rule: Sendable {
        /// `rules[3]`, for messages.
        let label: String
        let target: FieldPath
        /// The target's only key when it is a plain top-level field (the common, fast case).
        let topLevelTarget: String?
        let source: FieldPath?
        let steps: [TransformStep]
        let direction: FieldRule.Direction
        /// The steps of `unmap`, in order; nil when the rule does not push or cannot be undone.
        let inverseSteps: [TransformStep]?
        /// The rules of each element (`FieldRule.each`); nil for an ordinary rule.
        let elements: Elements?

        init(
            label: String,
            target: FieldPath,
            source: FieldPath?,
            steps: [TransformStep],
            direction: FieldRule.Direction = .both,
            inverseSteps: [TransformStep]? = nil,
            elements: Elements? = nil
        ) {
            self.label = label
            self.target = target
            let keys = target.keys
            topLevelTarget = keys.count == 1 ? keys[0] : nil
            self.source = source
            self.steps = steps
            self.direction = direction
            self.inverseSteps = inverseSteps
            self.elements = elements
        }

        func with(inverseSteps: [TransformStep], elements: Elements?) -> Rule {
            Rule(
                label: label,
                target: target,
                source: source,
                steps: steps,
                direction: direction,
                inverseSteps: inverseSteps,
                elements: elements
            )
        }
    }

    /// The element rules of a rule with `each`: all of them as compiled, and those that pull and
    /// push (with their inverse steps).
    struct Elements: Sendable {
        let all: [Rule]
        /// Which provider elements `map` leaves out: those whose value at `path` is in `values`.
        let skip: (path: FieldPath, values: [JSONValue])?
        var pull: [Rule] = []
        var push: [Rule] = []

        func skips(_ element: JSONValue) -> Bool {
            guard let skip, let value = skip.path.readPrefix(element) else { return false }
            return skip.values.contains(value)
        }
    }

    let pullRules: [Rule]
    /// Where `pullRules`' values go in the canonical text; nil when targets overlap.
    let pullLayout: CanonicalLayout?
    let pushRules: [Rule]
    /// Rules that did not compile (the mapping was never validated): reported by every `map`.
    let problems: [String]

    init(rules: [FieldRule]) {
        var compiled: [Rule] = []
        var problems: [String] = []
        for (index, rule) in rules.enumerated() {
            do throws(FieldMappingError) {
                compiled.append(try Self.compile(rule, index: index))
            } catch {
                problems.append("\(error.path): \(error.message)")
            }
        }
        // Where each provider path lands in the canonical object: how `unmap` finds the currency
        // a money step's `currency_path` names on the provider side (element rules' too: their
        // currency is the record's).
        var canonicalPath: [String: FieldPath] = [:]
        for rule in compiled {
            if let source = rule.source, canonicalPath[source.text] == nil { canonicalPath[source.text] = rule.target }
        }
        let split = Self.split(compiled, canonicalPath: canonicalPath)
        pullRules = split.pull
        pullLayout = CanonicalLayout(targets: split.pull.map(\.target.keys))
        pushRules = split.push
        self.problems = problems
    }

    /// The rules that pull, and those that push with their inverse steps (rules whose steps
    /// cannot be undone do not push).
    private static func split(_ rules: [Rule], canonicalPath: [String: FieldPath]) -> (pull: [Rule], push: [Rule]) {
        let resolved = rules.map { rule -> Rule in
            guard let elements = rule.elements else { return rule }
            let (pull, push) = split(elements.all, canonicalPath: canonicalPath)
            return rule.with(inverseSteps: [], elements: Elements(all: elements.all, skip: elements.skip, pull: pull, push: push))
        }
        let pull = resolved.filter { $0.direction != .push }
        let push = resolved.filter { $0.direction != .pull }.compactMap { rule -> Rule? in
            guard rule.source != nil else { return nil }
            // An array none of whose element fields push is not sent (it would be empty objects).
            if let elements = rule.elements { return elements.push.isEmpty ? nil : rule }
            var inverse: [TransformStep] = []
            for step in rule.steps.reversed() {
                let currency = Self.currencyPath(of: step).flatMap { canonicalPath[$0.text] } ?? FieldPath("currency")
                guard let undone = step.inverse(currency: currency) else { return nil }
                if case .identity = undone { continue }
                inverse.append(undone)
            }
            return rule.with(inverseSteps: inverse, elements: nil)
        }
        return (pull, push)
    }

    private static func currencyPath(of step: TransformStep) -> FieldPath? {
        switch step {
        case .minorToDecimal(let scale, _), .decimalToMinor(let scale, _): scale.currency
        default: nil
        }
    }

    /// Compiles one rule, or throws naming the place in it that is wrong.
    static func compile(_ rule: FieldRule, index: Int) throws(FieldMappingError) -> Rule {
        try compile(rule, label: "rules[\(index)]", nested: false)
    }

    private static func compile(_ rule: FieldRule, label: String, nested: Bool) throws(FieldMappingError) -> Rule {
        guard let target = FieldPath(rule.target), target.isKeysOnly else {
            throw FieldMappingError(path: "\(label).target", message: "'\(rule.target)' is not a valid canonical field path")
        }
        var source: FieldPath?
        if let text = rule.source {
            guard let parsed = FieldPath(text) else {
                throw FieldMappingError(path: "\(label).source", message: "'\(text)' is not a valid field path")
            }
            source = parsed
        }
        var steps: [TransformStep] = []
        for (position, transform) in rule.transforms.enumerated() {
            steps.append(try TransformStep(transform, at: "\(label).transforms[\(position)]"))
        }
        if let each = rule.each {
            if nested { throw FieldMappingError(path: "\(label).each", message: "element rules cannot have element rules of their own") }
            guard let source, !source.hasWildcard else {
                throw FieldMappingError(path: "\(label).source", message: "a rule with 'each' needs a source naming one array, without '[]'")
            }
            guard steps.isEmpty else {
                throw FieldMappingError(path: "\(label).transforms", message: "a rule with 'each' transforms its elements' fields, not the array")
            }
            var all: [Rule] = []
            for (position, element) in each.enumerated() {
                all.append(try compile(element, label: "\(label).each[\(position)]", nested: true))
            }
            var skip: (path: FieldPath, values: [JSONValue])?
            if let filter = rule.skip {
                guard let path = FieldPath(filter.source), !path.hasWildcard else {
                    throw FieldMappingError(path: "\(label).skip.source", message: "'\(filter.source)' is not a field path without '[]'")
                }
                skip = (path, filter.values)
            }
            let elements = Elements(all: all, skip: skip)
            return Rule(label: label, target: target, source: source, steps: [], direction: rule.direction, elements: elements)
        }
        if rule.skip != nil {
            throw FieldMappingError(path: "\(label).skip", message: "'skip' filters the elements of a rule with 'each'")
        }
        if source == nil, !steps.contains(where: Self.suppliesValue) {
            throw FieldMappingError(path: "\(label).source", message: "a source is needed unless a constant or default supplies the value")
        }
        return Rule(label: label, target: target, source: source, steps: steps, direction: rule.direction)
    }

    private static func suppliesValue(_ step: TransformStep) -> Bool {
        switch step {
        case .constant, .defaultValue: true
        default: false
        }
    }

    // MARK: Mapping

    func map(_ payload: JSONValue) -> MappedRecord {
        var errors = problems
        let fields = Self.map(pullRules, from: payload, record: payload, errors: &errors, place: "")
        return MappedRecord(canonical: .object(fields), errors: errors)
    }

    /// The canonical object's text, as `map(payload).canonical.encoded()` writes it, straight
    /// from the rules' values where the layout allows.
    func mapText(_ payload: JSONValue) -> MappedText {
        guard let pullLayout else {
            let mapped = map(payload)
            return MappedText(text: mapped.canonical.encoded(), errors: mapped.errors)
        }
        var errors = problems
        let values = pullRules.map { Self.value(of: $0, from: payload, record: payload, errors: &errors, place: "") }
        var text: [UInt8] = []
        text.reserveCapacity(512)
        pullLayout.write(values, into: &text)
        return MappedText(text: text, errors: errors)
    }

    /// One rule's value for `payload`; nil when it gives none, or fails (the failure is added to
    /// `errors`, after `place`).
    private static func value(
        of rule: Rule,
        from payload: JSONValue,
        record: JSONValue,
        errors: inout [String],
        place: String
    ) -> JSONValue? {
        do throws(TransformStep.Failure) {
            if let elements = rule.elements {
                return try mapElements(elements, of: rule, in: payload, record: record, errors: &errors)
            }
            return try Self.evaluate(rule.steps, source: rule.source, in: payload, record: record)
        } catch {
            errors.append("\(place)\(rule.target.text): \(error.message) (\(rule.label), source '\(rule.source?.text ?? "")')")
            return nil
        }
    }

    /// The canonical fields `rules` make of `payload` (the record, or one element of it when
    /// `place` names the element, as `lines[2].`).
    private static func map(
        _ rules: [Rule],
        from payload: JSONValue,
        record: JSONValue,
        errors: inout [String],
        place: String
    ) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        fields.reserveCapacity(rules.count)
        for rule in rules {
            guard let value = value(of: rule, from: payload, record: record, errors: &errors, place: place) else { continue }
            rule.target.write(value, into: &fields)
        }
        return fields
    }

    /// The array at the rule's source, each element mapped with the element rules (those `skip`
    /// names left out). An element that is not an object maps to null.
    private static func mapElements(
        _ elementRules: Elements,
        of rule: Rule,
        in payload: JSONValue,
        record: JSONValue,
        errors: inout [String]
    ) throws(TransformStep.Failure) -> JSONValue? {
        guard let source = rule.source, let collection = source.readPrefix(payload) else { return nil }
        guard case .array(let elements) = collection else {
            if collection == .null { return .null }
            throw TransformStep.Failure(message: "\(TransformStep.describe(collection)) is not an array")
        }
        var values: [JSONValue] = []
        values.reserveCapacity(elements.count)
        for element in elements where !elementRules.skips(element) {
            guard case .object = element else {
                values.append(.null)
                continue
            }
            let place = "\(rule.target.text)[\(values.count)]."
            values.append(.object(map(elementRules.pull, from: element, record: record, errors: &errors, place: place)))
        }
        return .array(values)
    }

    func unmap(_ canonical: JSONValue, record: JSONValue) -> JSONValue {
        Self.unmap(pushRules, from: canonical, record: record)
    }

    /// The provider fields `rules` make of `canonical` (the record, or one element of it).
    private static func unmap(_ rules: [Rule], from canonical: JSONValue, record: JSONValue) -> JSONValue {
        var result = JSONValue.object([:])
        for rule in rules {
            guard let source = rule.source, let value = rule.target.readPrefix(canonical) else { continue }
            if let elements = rule.elements {
                // Each element undone by the element rules; a null stays null, a non-array is left out.
                switch value {
                case .null: source.write(.null, into: &result)
                case .array(let items):
                    let undone = items.map { item -> JSONValue in
                        guard case .object = item else { return .null }
                        return unmap(elements.push, from: item, record: record)
                    }
                    source.write(.array(undone), into: &result)
                default: continue
                }
                continue
            }
            guard let steps = rule.inverseSteps else { continue }
            // A value that cannot be converted back is left out: the provider keeps its own.
            guard let converted = try? Self.apply(steps, to: value, record: record, wildcard: source.hasWildcard) else { continue }
            source.write(converted, into: &result)
        }
        return result
    }

    /// The value of one rule: the source read (per element for a wildcard) and transformed.
    private static func evaluate(
        _ steps: [TransformStep],
        source: FieldPath?,
        in payload: JSONValue,
        record: JSONValue
    ) throws(TransformStep.Failure)
        -> JSONValue?
    {
        guard let source else { return try run(steps, on: nil, record: record) }
        guard let suffix = source.suffix else {
            return try run(steps, on: source.readPrefix(payload), record: record)
        }
        guard let collection = source.readPrefix(payload) else { return nil }
        guard case .array(let elements) = collection else {
            if collection == .null { return .null }
            throw TransformStep.Failure(message: "\(TransformStep.describe(collection)) is not an array")
        }
        var values: [JSONValue] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            values.append(try run(steps, on: FieldPath.read(suffix[...], in: element), record: record) ?? .null)
        }
        return .array(values)
    }

    private static func apply(
        _ steps: [TransformStep],
        to value: JSONValue,
        record: JSONValue,
        wildcard: Bool
    ) throws(TransformStep.Failure)
        -> JSONValue?
    {
        guard wildcard, case .array(let elements) = value else { return try run(steps, on: value, record: record) }
        var values: [JSONValue] = []
        for element in elements { values.append(try run(steps, on: element, record: record) ?? .null) }
        return .array(values)
    }

    private static func run(_ steps: [TransformStep], on input: JSONValue?, record: JSONValue) throws(TransformStep.Failure) -> JSONValue? {
        var value = input
        for step in steps { value = try step.apply(value, record: record) }
        return value
    }
}
