#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The machine's monotonic clock (`CLOCK_MONOTONIC`), read and slept on directly: the engine stamps
/// request times with it and the mock backend's device threads sleep on it, so both agree to the
/// nanosecond and neither depends on wall-clock adjustments.
enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed origin (boot on Linux).
    static func nanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Blocks the calling thread until the clock reads `deadline`. Only for dedicated threads (a device's
    /// worker), never for Dispatch pool threads or async code.
    static func sleep(until deadline: Int64) {
        #if canImport(Glibc)
            var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
        #else
            let remaining = deadline - nanoseconds()
            if remaining > 0 { usleep(useconds_t(remaining / 1_000)) }
        #endif
    }
}
