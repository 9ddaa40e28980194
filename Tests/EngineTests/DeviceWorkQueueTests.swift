import Engine
import Foundation
import Testing
import Topology

@Suite struct DeviceWorkQueueTests {
    /// Jobs run in submission order, all on the queue's one thread.
    @Test func jobsRunInOrderOnOneDedicatedThread() async {
        let queue = DeviceWorkQueue(label: "test.device", numaNode: 0)
        let order = await withCheckedContinuation { (continuation: CheckedContinuation<[Int], Never>) in
            let recorder = Recorder()
            for job in 0..<100 {
                queue.async {
                    recorder.append(job, thread: pthread_self())
                    if job == 99 { continuation.resume(returning: recorder.jobs) }
                }
            }
        }
        #expect(order == Array(0..<100))
        queue.close()
    }

    @Test func theThreadIsBoundToItsNodeWhenTheMachineHasIt() async throws {
        let local = try HostTopology.current()
        let node = try #require(local.nodes.first?.id)
        let binding = await DeviceWorkQueue(label: "test.bound", numaNode: node).threadBinding()
        if local.source == .libnuma {
            #expect(binding == .bound(node: node))
        } else {
            #expect(binding != .bound(node: node))
        }
        let missing = (local.nodes.map(\.id).max() ?? 0) + 1
        let unbound = await DeviceWorkQueue(label: "test.missing", numaNode: missing).threadBinding()
        #expect(unbound != .bound(node: missing))
        #expect(
            await DeviceWorkQueue(label: "test.none", numaNode: nil).threadBinding()
                == .unbound(reason: "no NUMA node requested"))
    }

    @Test func aClosedQueueDropsNewJobsButStillAnswersHowItsThreadWasBound() async throws {
        let queue = DeviceWorkQueue(label: "test.closed", numaNode: nil)
        #expect(await queue.threadBinding() == .unbound(reason: "no NUMA node requested"))
        queue.close()
        #expect(await queue.threadBinding() == .unbound(reason: "no NUMA node requested"))
    }

    @Test func aStagingBufferLivesOnItsNodeOrSaysWhyNot() throws {
        let local = try HostTopology.current()
        let node = try #require(local.nodes.first?.id)
        let buffer = StagingBuffer(byteCount: 1 << 16, node: node)
        #expect(buffer.byteCount == 1 << 16)
        #expect(buffer.pointer.load(fromByteOffset: 4096, as: UInt64.self) == 0)
        if local.source == .libnuma { #expect(buffer.placement == .numaNode(node)) }
        let elsewhere = StagingBuffer(byteCount: 64, node: 1_000)
        #expect(elsewhere.placement == .ordinary(reason: "could not allocate 64 bytes on NUMA node 1000"))
    }
}

/// Thread-safe list of job numbers and the threads that ran them. `@unchecked Sendable`: guarded by `lock`.
private final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Int, pthread_t)] = []

    func append(_ job: Int, thread: pthread_t) {
        lock.lock()
        entries.append((job, thread))
        lock.unlock()
    }

    var jobs: [Int] {
        lock.lock()
        defer { lock.unlock() }
        #expect(Set(entries.map { UInt64($0.1) }).count == 1)
        return entries.map(\.0)
    }
}
