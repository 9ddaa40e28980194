import Deployment
import MoECore
import Reports
import Testing

@Suite struct CostAccountTests {
    /// Two instances of 8 devices at $2 per device-hour on a 24-device cluster.
    static func account() -> CostAccount {
        var account = CostAccount(
            instances: [
                .init(devices: 8, pricePerHour: Dollars(16), powerWatts: 700),
                .init(devices: 8, pricePerHour: Dollars(16), powerWatts: 700),
            ], provisionedDevices: 24, devicePricePerHour: Dollars(2), devicePowerWatts: 700)
        account.add(
            instance: 0, StepPhaseTimes(prefill: .seconds(900), decode: .seconds(1800), prefixLoad: .seconds(0)))
        account.addDecode(instance: 1, .seconds(900))
        return account
    }

    static let tokens = TokenCounts(uncachedInput: 2_000_000, cachedInput: 1_000_000, output: 500_000)

    @Test func usageBasisChargesBusyDeviceTimeByPhase() throws {
        let usage = Self.account().summary(duration: .seconds(3600), tokens: Self.tokens, basis: .usage)
        // Instance 0: 0.25 h prefill and 0.5 h decode at $16/h; instance 1: 0.25 h decode.
        #expect(abs(usage.total.amount - 16) < 1e-9)
        #expect(abs(usage.phases.prefill - 4) < 1e-9 && abs(usage.phases.decode - 12) < 1e-9)
        #expect(abs(try #require(usage.perMillionInputTokens) - 2) < 1e-9)
        #expect(abs(try #require(usage.perMillionOutputTokens) - 24) < 1e-9)
        #expect(usage.perMillionCachedInputTokens == 0)  // HBM hits cost no step time
        // 8 devices x 1 h busy at 700 W.
        #expect(abs(usage.busyEnergyKWh - 5.6) < 1e-9)
        #expect(abs(usage.provisionedEnergyKWh - 16.8) < 1e-9)
    }

    @Test func allocationBasisPaysForEveryProvisionedHourInTheSamePhaseShares() throws {
        let allocation = Self.account().summary(duration: .seconds(3600), tokens: Self.tokens, basis: .allocation)
        #expect(abs(allocation.total.amount - 48) < 1e-9)  // 24 devices x 1 h x $2
        #expect(abs(allocation.phases.prefill / allocation.phases.decode - 4.0 / 12) < 1e-12)
        #expect(abs(try #require(allocation.perMillionOutputTokens) - 72) < 1e-9)
    }

    @Test func marginComparesRevenueAtAPriceListWithTheCost() throws {
        let allocation = Self.account().summary(duration: .seconds(3600), tokens: Self.tokens, basis: .allocation)
        let quote = PriceQuote(
            name: "list", inputPerMillionTokens: Dollars(10), outputPerMillionTokens: Dollars(40),
            cachedInputPerMillionTokens: Dollars(1))
        let (revenue, margin) = allocation.margin(selling: Self.tokens, at: quote)
        #expect(abs(revenue.amount - 41) < 1e-9)  // 2 x 10 + 1 x 1 + 0.5 x 40
        #expect(abs(try #require(margin) - (41 - 48) / 41) < 1e-12)
    }
}
