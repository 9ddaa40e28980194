import Foundation
import MoECore

/// Seeded malformed request bodies: valid completions and chats taken apart byte by byte (flips, cuts,
/// repeats, insertions) and field by field (values of every JSON type and size, extreme numbers, deep
/// nesting, keys added and removed). The same seed gives the same bodies.
struct RequestFuzzer {
    private var random: SeededGenerator

    /// A fuzzer drawing from `seed`.
    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// Valid bodies the mutations start from, for the model `model`.
    static func seeds(model: String) -> [(GenerationEndpointName, [String: Any])] {
        [
            (.completions, ["model": model, "prompt": "Tell me about experts.", "max_tokens": 4]),
            (.completions, ["model": model, "prompt": [101, 102, 103], "max_tokens": 2, "stream": true]),
            (
                .chatCompletions,
                [
                    "model": model, "messages": [["role": "user", "content": "Hi there"]], "max_completion_tokens": 3,
                    "stream": true, "stream_options": ["include_usage": true],
                ]
            ),
        ]
    }

    /// The next body: a seed mutated structurally or byte-wise.
    mutating func next(model: String) -> (GenerationEndpointName, Data) {
        let seeds = Self.seeds(model: model)
        let (endpoint, object) = seeds[Int(random.next() % UInt64(seeds.count))]
        if random.next() % 2 == 0 {
            var mutated = object
            for _ in 0...(random.next() % 3) { mutateField(&mutated) }
            return (endpoint, (try? JSONSerialization.data(withJSONObject: mutated)) ?? Data("{".utf8))
        }
        var bytes = [UInt8]((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
        for _ in 0...(random.next() % 4) { mutateBytes(&bytes) }
        return (endpoint, Data(bytes))
    }

    private mutating func mutateField(_ object: inout [String: Any]) {
        let keys =
            Array(object.keys).sorted() + [
                "max_tokens", "n", "stream", "stream_options", "temperature", "stop", "logprobs", "messages", "prompt",
                "min_tokens", "echo", "seed", "model",
            ]
        let key = keys[Int(random.next() % UInt64(keys.count))]
        if random.next() % 6 == 0 {
            object.removeValue(forKey: key)
        } else {
            object[key] = value(depth: 0)
        }
    }

    private mutating func value(depth: Int) -> Any {
        switch random.next() % 13 {
        case 0: return NSNull()
        case 1: return random.next() % 2 == 0
        case 2: return Int(truncatingIfNeeded: random.next())
        case 3: return [-1, 0, 1, 2, Int.max, Int.min, 1 << 40][Int(random.next() % 7)]
        case 4: return [1.5, -0.0, 1e300, -1e300, 3.0][Int(random.next() % 5)]
        case 5: return String(repeating: "x", count: Int(random.next() % 2_000))
        case 6: return ["", "deepseek-v3", "user", "text", "\u{0}\u{FFFF}", "🙂🙂", "\"quoted\""][Int(random.next() % 7)]
        case 7: return (0..<Int(random.next() % 40)).map { _ in Int(random.next() % 300_000) - 1_000 }
        case 8: return [["role": "user", "content": value(depth: depth + 1)]]
        case 9: return [["role": value(depth: depth + 1), "content": "x"]]
        case 10: return [["type": "text", "text": value(depth: depth + 1)], ["type": "image_url"]]
        case 11:
            var nested: Any = 1
            for _ in 0..<Int(random.next() % 600) { nested = [nested] }
            return nested
        default:
            return depth > 2
                ? [String: Any]() : ["include_usage": value(depth: depth + 1), "x": value(depth: depth + 1)]
        }
    }

    private mutating func mutateBytes(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else {
            bytes = [UInt8(truncatingIfNeeded: random.next())]
            return
        }
        let position = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 5 {
        case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
        case 1: bytes.removeSubrange(position..<min(bytes.count, position + Int(random.next() % 16) + 1))
        case 2: bytes.insert(contentsOf: Array(bytes[position...].prefix(32)), at: position)
        case 3:
            let junk: [[UInt8]] = [Array("\\u0000".utf8), [0xFF, 0xFE], Array("]}".utf8), Array("9e999".utf8), [0]]
            bytes.insert(contentsOf: junk[Int(random.next() % UInt64(junk.count))], at: position)
        default: bytes = Array(bytes[..<position])
        }
    }
}

/// Which route a fuzzed body goes to.
enum GenerationEndpointName: String {
    case completions = "/v1/completions"
    case chatCompletions = "/v1/chat/completions"
}
