/// A number format for weights, activations, KV cache or communication.
public enum NumericFormat: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case fp32, bf16, fp16, fp8, int8, int4

    /// Storage per element in bytes (int4 packs two elements per byte).
    public var bytesPerElement: Double {
        switch self {
        case .fp32: 4
        case .bf16, .fp16: 2
        case .fp8, .int8: 1
        case .int4: 0.5
        }
    }

    public var description: String { rawValue }
}
