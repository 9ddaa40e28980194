import MoECore
import Testing

@Suite struct UnitsTests {
    @Test func durationsRoundToWholeNanoseconds() {
        #expect(SimDuration.milliseconds(1.5).nanoseconds == 1_500_000)
        #expect(SimDuration.seconds(1e-10).nanoseconds == 0)
        #expect((SimTime.seconds(2) - SimTime.seconds(0.5)).milliseconds == 1500)
    }

    @Test func bandwidthTransferTime() {
        #expect(Bandwidth.gigabitsPerSecond(400).gigabytesPerSecond == 50)
        #expect(Bandwidth.gigabytesPerSecond(50).timeToTransfer(.gigabytes(1)).milliseconds == 20)
    }

    @Test func seededGeneratorIsReproducibleAndStreamsDiffer() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        var stream1 = a.derived(stream: 1)
        var stream2 = a.derived(stream: 2)
        #expect(stream1.next() != stream2.next())
    }

    @Test func gammaSamplesHaveTheRequestedMeanAndSpread() {
        var rng = SeededGenerator(seed: 7)
        let samples = (0..<200_000).map { _ in rng.nextGamma(shape: 0.25, scale: 4) }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
        #expect(abs(mean - 1) < 0.02)
        #expect(abs(variance.squareRoot() / mean - 2) < 0.05)
    }
}
