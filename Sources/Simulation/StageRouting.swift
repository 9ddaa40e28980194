import DequeModule
import MoECore

/// The instances of one stage of the cluster (colocated, prefill or decode) as its router sees them: the
/// routable ones (serving and taking requests) with their loads, and the requests waiting because none is.
struct StageRouting {
    /// The stage's role.
    let role: InstanceRole
    /// How requests are spread over the stage.
    var router: any Router
    /// Every instance of the stage, in deployment order.
    let members: [Int]
    /// The routable instances, in deployment order, and their loads (parallel arrays).
    private(set) var routable: [Int] = []
    private(set) var loads: [InstanceLoad] = []
    /// Each instance's position in `routable`, -1 when it is not routable (indexed by instance).
    private var position: [Int]
    /// Slots waiting for an instance of this stage to become routable, in arrival order.
    var unrouted = Deque<Int>()

    /// A stage of `members` (all routable) among `instanceCount` instances.
    init(role: InstanceRole, router: any Router, members: [Int], instanceCount: Int) {
        self.role = role
        self.router = router
        self.members = members
        position = Array(repeating: -1, count: instanceCount)
    }

    /// Whether any instance can take a request now.
    var canRoute: Bool { !routable.isEmpty }

    /// Makes `instance` routable with `load`, or not; keeps the deployment order.
    mutating func setRoutable(_ instance: Int, _ isRoutable: Bool, load: InstanceLoad) {
        if isRoutable, position[instance] < 0 {
            let at = routable.firstIndex { $0 > instance } ?? routable.count
            routable.insert(instance, at: at)
            loads.insert(load, at: at)
        } else if !isRoutable, position[instance] >= 0 {
            let at = position[instance]
            routable.remove(at: at)
            loads.remove(at: at)
        } else {
            update(instance, load)
            return
        }
        for (index, member) in routable.enumerated() { position[member] = index }
        if !isRoutable { position[instance] = -1 }
    }

    /// Records `instance`'s current load when it is routable.
    @inline(__always)
    mutating func update(_ instance: Int, _ load: InstanceLoad) {
        let at = position[instance]
        if at >= 0 { loads[at] = load }
    }

    /// Replaces the routable instances' loads by `fresh` (in `routable` order): their scheduler figures read
    /// now, for routers that weigh them.
    mutating func refresh(_ fresh: [InstanceLoad]) {
        precondition(fresh.count == loads.count, "fresh loads for another set of instances")
        loads = fresh
    }

    /// Sets, for each routable instance, the prefix the request being routed finds there.
    mutating func setCachedPrefixes(_ tokens: (Int) -> Int) {
        for index in routable.indices { loads[index].cachedPrefixTokens = tokens(routable[index]) }
    }

    /// The instance `request` goes to; requires ``canRoute``.
    mutating func route(_ request: RequestSpec) -> Int {
        routable[router.route(request, among: loads)]
    }
}
