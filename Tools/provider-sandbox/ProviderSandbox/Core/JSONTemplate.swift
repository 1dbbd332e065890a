import HubCore

/// An object's encoding written once with holes where its values vary, so each object of that
/// shape is written by copying the fixed bytes and encoding only its own values. A seeded object
/// is generated when listed; building each as a dictionary, sorting its keys and encoding it made
/// the sandbox, not the client, the slow end of a benchmark's pull (docs/benchmarks.md).
struct JSONTemplate: Sendable {
    /// Hole `n`: a string no generated value holds.
    static func hole(_ n: Int) -> JSONValue { .string("\u{1}hole \(n)\u{1}") }

    /// The fixed bytes around the holes: one more than the holes.
    private let parts: [[UInt8]]
    /// The value each hole takes, in the order the holes are written.
    private let holes: [Int]
    private let order: JSONKeyOrder
    private let size: Int

    /// `shape` holds `hole(0)` to `hole(count - 1)` once each, as values (not keys).
    init(_ shape: JSONValue, holes count: Int, order: JSONKeyOrder) {
        let bytes = shape.encoded(order)
        let found = (0..<count).map { n in
            guard let range = bytes.firstRange(of: Self.hole(n).encoded(order)) else { preconditionFailure("hole \(n) is not in the shape") }
            return (range: range, value: n)
        }.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var parts: [[UInt8]] = []
        var start = 0
        for hole in found {
            parts.append(Array(bytes[start..<hole.range.lowerBound]))
            start = hole.range.upperBound
        }
        parts.append(Array(bytes[start...]))
        self.parts = parts
        self.holes = found.map(\.value)
        self.order = order
        self.size = parts.reduce(0) { $0 + $1.count }
    }

    /// The shape's encoding with `values[n]` in hole `n`: the bytes `shape.filled(values)` encodes to.
    func render(_ values: [JSONValue]) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(size + 32 * holes.count)
        for (index, value) in holes.enumerated() {
            buffer.append(contentsOf: parts[index])
            values[value].write(into: &buffer, order: order)
        }
        buffer.append(contentsOf: parts[parts.count - 1])
        return buffer
    }
}

extension JSONValue {
    /// This value with each `JSONTemplate.hole(n)` in it replaced by `values[n]`.
    func filled(_ values: [JSONValue]) -> JSONValue {
        switch self {
        case .string(let text) where text.hasPrefix("\u{1}hole "):
            guard let n = Int(text.dropFirst(6).dropLast()), values.indices.contains(n) else { return self }
            return values[n]
        case .object(let fields): return .object(fields.mapValues { $0.filled(values) })
        case .array(let items): return .array(items.map { $0.filled(values) })
        default: return self
        }
    }
}
