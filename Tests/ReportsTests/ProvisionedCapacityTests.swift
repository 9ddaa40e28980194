import Deployment
import MoECore
import Reports
import Testing

@Suite struct ProvisionedCapacityTests {
    /// Two pools: 16 H800 at $2 and 32 Ascend at $1.40 per device-hour.
    static func capacity() -> ProvisionedCapacity {
        ProvisionedCapacity(pools: [
            .init(devices: 16, devicesPerNode: 8, pricePerDeviceHour: Dollars(2), powerWatts: 700),
            .init(devices: 32, devicesPerNode: 8, pricePerDeviceHour: Dollars(1.4), powerWatts: 400),
        ])
    }

    @Test func releasedDevicesStopCostingUntilTheyAreProvisionedAgain() {
        var capacity = Self.capacity()
        capacity.adjust(pool: 1, by: -16, at: .seconds(1800))  // half the Ascend pool lent out after half an hour
        capacity.adjust(pool: 1, by: 16, at: .seconds(2700))
        let end = SimTime.seconds(3600)
        #expect(capacity.deviceSeconds(until: end) == [16 * 3600, 32 * 3600 - 16 * 900])
        let dollars = 16 * 2.0 + (32 * 3600 - 16 * 900) / 3600 * 1.4
        #expect(abs(capacity.dollars(until: end) - dollars) < 1e-9)
        #expect(capacity.changes.map { capacity.nodes($0) } == [6, 4, 6])
        #expect(abs(capacity.meanNodes(until: end) - (6 - 2 * 0.25)) < 1e-12)
        #expect(abs(capacity.energyKWh(until: end) - (16 * 700 + (32 * 3600 - 16 * 900) / 3600 * 400) / 1000) < 1e-9)
    }

    @Test func changesAtOneInstantMergeAndCountsStayWithinThePool() {
        var capacity = Self.capacity()
        capacity.adjust(pool: 0, by: -8, at: .zero)
        capacity.adjust(pool: 0, by: -8, at: .zero)
        capacity.adjust(pool: 0, by: -8, at: .seconds(10))
        capacity.adjust(pool: 0, by: 40, at: .seconds(20))
        #expect(capacity.changes.map(\.devices) == [[0, 32], [0, 32], [16, 32]])
    }

    @Test func theAllocationBasisPaysForTheProvisionedTimeOnly() {
        var capacity = Self.capacity()
        capacity.adjust(pool: 1, by: -32, at: .zero)
        var account = CostAccount(
            instances: [.init(devices: 16, pricePerHour: Dollars(32), powerWatts: 700)], capacity: capacity)
        account.add(instance: 0, StepPhaseTimes(prefill: .seconds(600), decode: .seconds(1200), prefixLoad: .zero))
        let tokens = TokenCounts(uncachedInput: 1_000_000, cachedInput: 0, output: 100_000)
        let allocation = account.summary(duration: .seconds(3600), tokens: tokens, basis: .allocation)
        #expect(abs(allocation.total.amount - 32) < 1e-9)  // the H800 pool only: 16 devices x 1 h x $2
        let usage = account.summary(duration: .seconds(3600), tokens: tokens, basis: .usage)
        #expect(abs(usage.total.amount - 16) < 1e-9)
        // A shrunk instance's later steps are priced at its new size.
        account.update(instance: 0, devices: 8, pricePerHour: Dollars(16))
        account.addDecode(instance: 0, .seconds(1800))
        let after = account.summary(duration: .seconds(3600), tokens: tokens, basis: .usage)
        #expect(abs(after.total.amount - 24) < 1e-9)
        #expect(abs(account.busyDeviceSeconds - (16 * 1800 + 8 * 1800)) < 1e-9)
    }
}
