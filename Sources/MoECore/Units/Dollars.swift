/// An amount of money in US dollars, as used for device-hour prices and cost per token.
public struct Dollars: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in dollars.
    public var amount: Double

    /// Creates an amount of `amount` dollars.
    public init(_ amount: Double) { self.amount = amount }

    /// Nothing.
    public static let zero = Dollars(0)

    public static func < (lhs: Dollars, rhs: Dollars) -> Bool { lhs.amount < rhs.amount }
    public static func + (lhs: Dollars, rhs: Dollars) -> Dollars { Dollars(lhs.amount + rhs.amount) }
    public static func += (lhs: inout Dollars, rhs: Dollars) { lhs = lhs + rhs }
    public static func * (lhs: Dollars, rhs: Double) -> Dollars { Dollars(lhs.amount * rhs) }

    public var description: String { "$\((amount * 10_000).rounded() / 10_000)" }
}
