import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct NodeResourcesFitTests {
    let plugin = NodeResourcesFitPlugin()

    @Test func insufficientCPUAndMemory() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("n1", cpu: "2", memory: "4Gi")],
                                   pods: [Fixtures.pod("running", cpu: "1500m", memory: "1Gi", nodeName: "n1")])
        #expect(filterStatus(plugin, pod: Fixtures.pod("small", cpu: "500m", memory: "1Gi"), node: "n1", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: Fixtures.pod("cpu", cpu: "600m"), node: "n1", cache: cache)
            == Status(.unschedulable, "Insufficient cpu"))
        #expect(filterStatus(plugin, pod: Fixtures.pod("both", cpu: "1", memory: "4Gi"), node: "n1", cache: cache)
            == Status(.unschedulable, ["Insufficient cpu", "Insufficient memory"]))
    }

    @Test func tooManyPodsEvenForBestEffort() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("n1", pods: 1)], pods: [Fixtures.pod("running", nodeName: "n1")])
        #expect(filterStatus(plugin, pod: Fixtures.pod("p"), node: "n1", cache: cache) == Status(.unschedulable, "Too many pods"))
    }

    @Test func extendedAndEphemeralResources() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("gpu", extraAllocatable: ["example.com/gpu": 2, "ephemeral-storage": "10Gi"]),
                                           Fixtures.node("plain")])
        let wantsGPU = Fixtures.pod("g", containers: [Fixtures.container(extra: ["example.com/gpu": 1])])
        #expect(filterStatus(plugin, pod: wantsGPU, node: "gpu", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: wantsGPU, node: "plain", cache: cache) == Status(.unschedulable, "Insufficient example.com/gpu"))
        let wantsDisk = Fixtures.pod("d", containers: [Fixtures.container(extra: ["ephemeral-storage": "20Gi"])])
        #expect(filterStatus(plugin, pod: wantsDisk, node: "gpu", cache: cache) == Status(.unschedulable, "Insufficient ephemeral-storage"))
    }

    @Test func initContainersCountByPeakAndOverheadAdds() {
        let pod = SchedulingPod(Fixtures.pod("p", spec: [
            "initContainers": [Fixtures.container(cpu: "2", memory: "1Gi"), Fixtures.container(cpu: "1", memory: "3Gi")],
            "overhead": ["cpu": "100m", "memory": "10Mi"],
        ], containers: [Fixtures.container(cpu: "1", memory: "1Gi"), Fixtures.container(cpu: "500m", memory: "1Gi")]))
        // max(containers 1.5 cpu / 2Gi, init peak 2 cpu / 3Gi) + overhead
        #expect(pod.requests.milliCPU == 2100)
        #expect(pod.requests.memory == 3 * 1024 * 1024 * 1024 + 10 * 1024 * 1024)
    }

    @Test func sidecarsAddToContainersAndLaterInitContainers() {
        var sidecar = Fixtures.container(cpu: "500m")
        sidecar["restartPolicy"] = "Always"
        let pod = SchedulingPod(Fixtures.pod("p", spec: ["initContainers": [sidecar, Fixtures.container(cpu: "2")]],
                                             containers: [Fixtures.container(cpu: "1")]))
        // Containers + sidecar = 1.5; the later init container runs beside the sidecar: 2.5.
        #expect(pod.requests.milliCPU == 2500)
    }

    @Test func nonZeroDefaultsOnlyForScoring() {
        let pod = SchedulingPod(Fixtures.pod("p"))
        #expect(pod.requests.milliCPU == 0)
        #expect(pod.nonZeroMilliCPU == 100)
        #expect(pod.nonZeroMemory == 200 * 1024 * 1024)
    }

    @Test func leastAllocatedScore() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("empty", cpu: "4", memory: "4Gi"), Fixtures.node("busy", cpu: "4", memory: "4Gi")],
                                   pods: [Fixtures.pod("running", cpu: "2", memory: "2Gi", nodeName: "busy")])
        let result = scores(plugin, pod: Fixtures.pod("p", cpu: "1", memory: "1Gi"), nodes: ["empty", "busy"], cache: cache)
        // empty: (3/4 free cpu, 3/4 free memory) → 75; busy: 1/4 each → 25.
        #expect(result == ["empty": 75, "busy": 25])
    }

    @Test func balancedAllocationScore() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("n1", cpu: "4", memory: "4Gi"), Fixtures.node("n2", cpu: "4", memory: "4Gi")],
                                   pods: [Fixtures.pod("cpu-heavy", cpu: "2", nodeName: "n1")])
        let result = scores(NodeResourcesBalancedAllocationPlugin(), pod: Fixtures.pod("p", cpu: "1", memory: "1Gi"),
                            nodes: ["n1", "n2"], cache: cache)
        // n1: cpu 3/4, memory 1/4 → deviation 0.25 → 75; n2: 1/4 and 1/4 → 100.
        #expect(result == ["n1": 75, "n2": 100])
    }
}
