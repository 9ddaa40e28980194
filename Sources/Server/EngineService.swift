import Engine
import ServiceLifecycle

/// The engine as a service of the server's service group: it does nothing until the group shuts down
/// gracefully (after the HTTP server, which is listed later and so stops first, has let its requests finish),
/// then drains the engine and stops its device threads. Cancelled instead (the drain timeout passed), it
/// cancels whatever is still in flight first.
struct EngineService: Service {
    let engine: ServingEngine

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            await engine.cancelAll()
        }
        await engine.shutdown()
    }
}
