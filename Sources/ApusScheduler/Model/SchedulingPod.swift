import ApusControllerKit
import ApusMachinery

/// The scheduling-relevant parts of a Pod, parsed once when the pod is seen (so the hot loop never
/// touches JSON). Immutable; a pod update makes a new one.
final class SchedulingPod: Sendable {
    let object: JSON
    let uid: String
    let namespace: String
    let name: String
    let labels: [String: String]
    let nodeName: String
    let schedulerName: String
    let priority: Int32
    let preemptsLowerPriority: Bool
    /// Requests with Kubernetes' rules: containers summed, init containers by their peak (sidecars
    /// added to both), plus overhead.
    let requests: ResourceAmounts
    /// cpu/memory requests with 100m / 200Mi assumed for containers that state none (for scoring).
    let nonZeroMilliCPU: Int64
    let nonZeroMemory: Int64
    let hostPorts: [HostPort]
    let tolerations: [Toleration]
    let requiredNodeAffinity: RequiredNodeAffinity
    let preferredNodeAffinity: [PreferredSchedulingTerm]
    let spreadConstraints: [SpreadConstraint]
    let requiredAffinityTerms: [PodAffinityTerm]
    let requiredAntiAffinityTerms: [PodAffinityTerm]
    let preferredAffinityTerms: [WeightedPodAffinityTerm]
    let preferredAntiAffinityTerms: [WeightedPodAffinityTerm]
    /// Container images (init containers first), normalized with `:latest` when untagged.
    let images: [String]
    let containerCount: Int
    /// The uid of the controlling ReplicaSet, ReplicationController or StatefulSet.
    let controllerUID: String?
    let isTerminating: Bool
    /// Being deleted after the scheduler preempted it (DisruptionTarget reason PreemptionByScheduler).
    let isTerminatingByPreemption: Bool
    /// Succeeded or Failed: the scheduler no longer counts it.
    let isFinished: Bool
    let isSchedulingGated: Bool
    let nominatedNodeName: String
    /// status.startTime (seconds since the epoch), once the kubelet has started the pod.
    let startTime: Double?

    static let defaultMilliCPURequest: Int64 = 100
    static let defaultMemoryRequest: Int64 = 200 * 1024 * 1024

    var hasPodAffinity: Bool {
        !requiredAffinityTerms.isEmpty || !requiredAntiAffinityTerms.isEmpty
            || !preferredAffinityTerms.isEmpty || !preferredAntiAffinityTerms.isEmpty
    }
    var hasRequiredAntiAffinity: Bool { !requiredAntiAffinityTerms.isEmpty }

    init(_ object: JSON, priorityClasses: PriorityClasses = PriorityClasses()) {
        self.object = object
        let metadata = object["metadata"]
        let spec = object["spec"]
        let status = object["status"]
        namespace = metadata["namespace"].string ?? ""
        name = metadata["name"].string ?? ""
        uid = metadata["uid"].string ?? ObjectKey.of(object)
        let labels = PodState.labels(object)
        self.labels = labels
        nodeName = spec["nodeName"].string ?? ""
        schedulerName = spec["schedulerName"].string ?? ""
        let resolved = priorityClasses.resolve(spec: spec)
        priority = resolved.priority
        preemptsLowerPriority = resolved.preempts

        let containers = spec["containers"].array ?? []
        let initContainers = spec["initContainers"].array ?? []
        let overhead = ResourceAmounts(resourceList: spec["overhead"])
        let containerRequests = containers.map(ContainerRequests.init(json:))
        let initRequests = initContainers.map(ContainerRequests.init(json:))
        var requests = Self.aggregate(containers: containerRequests, initContainers: initRequests, defaults: false)
        requests.add(overhead)
        requests.allowedPods = 0
        self.requests = requests
        var nonZero = Self.aggregate(containers: containerRequests, initContainers: initRequests, defaults: true)
        nonZero.add(overhead)
        nonZeroMilliCPU = nonZero.milliCPU
        nonZeroMemory = nonZero.memory

        var ports: [HostPort] = []
        let sidecars = initContainers.filter { $0["restartPolicy"].string == "Always" }
        for container in containers + sidecars {
            for port in container["ports"].array ?? [] {
                guard let hostPort = port["hostPort"].int, hostPort > 0 else { continue }
                ports.append(HostPort(ip: port["hostIP"].string ?? "", protocol: port["protocol"].string ?? "", port: Int32(clamping: hostPort)))
            }
        }
        hostPorts = ports
        tolerations = (spec["tolerations"].array ?? []).map(Toleration.init(json:))

        let nodeSelector = (spec["nodeSelector"].object ?? [:]).compactMapValues(\.string)
        let nodeAffinity = spec["affinity"]["nodeAffinity"]
        let requiredNode = nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"]
        let terms: [NodeSelectorTerm]? = requiredNode.isNull ? nil : (requiredNode["nodeSelectorTerms"].array ?? []).map(NodeSelectorTerm.init(json:))
        requiredNodeAffinity = RequiredNodeAffinity(nodeSelector: nodeSelector, terms: terms)
        preferredNodeAffinity = (nodeAffinity["preferredDuringSchedulingIgnoredDuringExecution"].array ?? []).map {
            PreferredSchedulingTerm(weight: $0["weight"].int ?? 0, term: NodeSelectorTerm(json: $0["preference"]))
        }

        spreadConstraints = (spec["topologySpreadConstraints"].array ?? []).map { SpreadConstraint(json: $0, podLabels: labels) }

        let namespace = self.namespace
        let podAffinity = spec["affinity"]["podAffinity"]
        let podAntiAffinity = spec["affinity"]["podAntiAffinity"]
        func requiredTerms(_ json: JSON) -> [PodAffinityTerm] {
            (json["requiredDuringSchedulingIgnoredDuringExecution"].array ?? []).map { PodAffinityTerm(json: $0, ownerNamespace: namespace) }
        }
        func preferredTerms(_ json: JSON) -> [WeightedPodAffinityTerm] {
            (json["preferredDuringSchedulingIgnoredDuringExecution"].array ?? []).map {
                WeightedPodAffinityTerm(weight: $0["weight"].int ?? 0, term: PodAffinityTerm(json: $0["podAffinityTerm"], ownerNamespace: namespace))
            }
        }
        requiredAffinityTerms = requiredTerms(podAffinity)
        requiredAntiAffinityTerms = requiredTerms(podAntiAffinity)
        preferredAffinityTerms = preferredTerms(podAffinity)
        preferredAntiAffinityTerms = preferredTerms(podAntiAffinity)

        images = (initContainers + containers).compactMap { $0["image"].string }.map(Self.normalizedImageName)
        containerCount = initContainers.count + containers.count

        if let controller = OwnerReferences.controller(of: object), let kind = controller["kind"].string, ["ReplicaSet", "ReplicationController", "StatefulSet"].contains(kind) {
            controllerUID = controller["uid"].string
        } else {
            controllerUID = nil
        }
        isTerminating = PodState.isTerminating(object)
        isTerminatingByPreemption = isTerminating && (status["conditions"].array ?? []).contains {
            $0["type"].string == "DisruptionTarget" && $0["reason"].string == "PreemptionByScheduler"
        }
        let phase = status["phase"].string ?? ""
        isFinished = phase == "Succeeded" || phase == "Failed"
        isSchedulingGated = !(spec["schedulingGates"].array ?? []).isEmpty
        nominatedNodeName = status["nominatedNodeName"].string ?? ""
        startTime = status["startTime"].string.flatMap(Timestamp.parse)
    }

    /// Kubernetes' PodRequests: regular containers add up; sidecars (restartable init containers)
    /// add to that sum and stay for later init containers; the pod needs the larger of the sum and
    /// the peak of any init container plus the sidecars started before it.
    private static func aggregate(containers: [ContainerRequests], initContainers: [ContainerRequests], defaults: Bool) -> ResourceAmounts {
        func requests(_ container: ContainerRequests) -> ResourceAmounts {
            var amounts = container.amounts
            if defaults {
                if !container.cpuSet { amounts.milliCPU = defaultMilliCPURequest }
                if !container.memorySet { amounts.memory = defaultMemoryRequest }
            }
            return amounts
        }
        var sum = ResourceAmounts()
        for container in containers { sum.add(requests(container)) }
        var sidecars = ResourceAmounts()
        var initPeak = ResourceAmounts()
        for container in initContainers {
            let own = requests(container)
            if container.sidecar {
                sum.add(own)
                sidecars.add(own)
                initPeak.setMax(sidecars)
            } else {
                var running = own
                running.add(sidecars)
                initPeak.setMax(running)
            }
        }
        sum.setMax(initPeak)
        return sum
    }

    /// One container's requests, parsed once for both sums (as requested and with defaults).
    private struct ContainerRequests {
        var amounts: ResourceAmounts
        var cpuSet: Bool
        var memorySet: Bool
        /// A restartable init container.
        var sidecar: Bool

        init(json container: JSON) {
            let list = container["resources"]["requests"]
            amounts = ResourceAmounts(resourceList: list)
            cpuSet = !list["cpu"].isNull
            memorySet = !list["memory"].isNull
            sidecar = container["restartPolicy"].string == "Always"
        }
    }

    /// `nginx` → `nginx:latest`; names with a tag or digest stay as they are.
    static func normalizedImageName(_ name: String) -> String {
        let lastColon = name.lastIndex(of: ":")
        let lastSlash = name.lastIndex(of: "/")
        switch (lastColon, lastSlash) {
        case (nil, _): return name + ":latest"
        case (let colon?, let slash?) where colon < slash: return name + ":latest"
        default: return name
        }
    }

    /// Priority order for victims: higher priority first, then the one running longer (a pod not
    /// started yet counts as starting `now`).
    static func isMoreImportant(_ a: SchedulingPod, than b: SchedulingPod, now: Double) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        return (a.startTime ?? now) < (b.startTime ?? now)
    }
}
