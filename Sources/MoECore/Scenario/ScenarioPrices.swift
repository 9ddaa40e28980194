/// A published price per million tokens to compare a deployment's cost against (an API price list).
public struct PriceQuote: Hashable, Sendable {
    /// What the price is, such as "DeepSeek API (2025-02)".
    public var name: String
    /// Dollars per million input tokens (cache miss).
    public var inputPerMillionTokens: Dollars
    /// Dollars per million output tokens.
    public var outputPerMillionTokens: Dollars
    /// Dollars per million input tokens served from a context cache, when the list has such a price.
    public var cachedInputPerMillionTokens: Dollars?

    /// Creates a quote.
    public init(
        name: String, inputPerMillionTokens: Dollars, outputPerMillionTokens: Dollars,
        cachedInputPerMillionTokens: Dollars? = nil
    ) {
        self.name = name
        self.inputPerMillionTokens = inputPerMillionTokens
        self.outputPerMillionTokens = outputPerMillionTokens
        self.cachedInputPerMillionTokens = cachedInputPerMillionTokens
    }
}

/// The prices section: device-hour prices that override the catalog, and price lists to compare with.
public struct ScenarioPrices: Hashable, Sendable {
    /// Dollars per device-hour by device key, overriding the catalog's price.
    public var devicePricePerHour: [String: Dollars] = [:]
    /// Price lists to compare the simulated cost per token against.
    public var compare: [PriceQuote] = []

    /// No overrides and nothing to compare with.
    public init() {}
}

extension ScenarioPrices {
    /// Decodes `{devices: {key: usd_per_hour}, compare: [{name, input_per_mtok_usd, output_per_mtok_usd,
    /// cached_input_per_mtok_usd}]}`; device keys are checked against `catalog`.
    init(document: DocumentNode, catalog: Catalog) throws {
        let fields = try document.mapping(keys: ["devices", "compare"])
        self.init()
        for (key, value) in try fields.optional("devices")?.dictionary() ?? [] {
            guard catalog.device(key) != nil else {
                throw value.error(
                    "unknown device '\(key)'; known devices: \(catalog.devices.map(\.key).joined(separator: ", "))")
            }
            devicePricePerHour[key] = Dollars(try value.number(.nonNegative))
        }
        compare = try (fields.optional("compare")?.list() ?? []).map { node in
            let quote = try node.mapping(keys: [
                "name", "input_per_mtok_usd", "output_per_mtok_usd", "cached_input_per_mtok_usd",
            ])
            return PriceQuote(
                name: try quote.required("name").nonEmptyString(),
                inputPerMillionTokens: Dollars(try quote.required("input_per_mtok_usd").number(.nonNegative)),
                outputPerMillionTokens: Dollars(try quote.required("output_per_mtok_usd").number(.nonNegative)),
                cachedInputPerMillionTokens: try quote.optional("cached_input_per_mtok_usd").map {
                    Dollars(try $0.number(.nonNegative))
                })
        }
    }
}
