import ApusMachinery
import ApusRegistry
import ApusStorage
import Testing

@Suite("Write defaults")
struct DefaultsTests {
    @Test("deployment: rolling update 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600")
    func deployment() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var body = Fixtures.deployment("web")
        body[path: ["spec", "replicas"]] = .null
        let created = try await h.create(h.def("deployments", group: "apps"), "default", body)
        let spec = created["spec"]
        #expect(spec["replicas"] == 1)
        #expect(spec["strategy"] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]])
        #expect(spec["revisionHistoryLimit"] == 10)
        #expect(spec["progressDeadlineSeconds"] == 600)
        #expect(spec["template"]["spec"]["restartPolicy"] == "Always")
        #expect(spec["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent")
    }

    @Test("deployment: a Recreate strategy gets no rollingUpdate, explicit values stay")
    func deploymentExplicit() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var body = Fixtures.deployment("web")
        body[path: ["spec", "strategy"]] = ["type": "Recreate"]
        body[path: ["spec", "revisionHistoryLimit"]] = 3
        let created = try await h.create(h.def("deployments", group: "apps"), "default", body)
        #expect(created["spec"]["strategy"] == ["type": "Recreate"])
        #expect(created["spec"]["revisionHistoryLimit"] == 3)
        #expect(created["spec"]["replicas"] == 2)
    }

    @Test("pod spec defaults")
    func pod() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let created = try await h.create(h.def("pods"), "default", Fixtures.pod("p"))
        let spec = created["spec"]
        #expect(spec["restartPolicy"] == "Always")
        #expect(spec["dnsPolicy"] == "ClusterFirst")
        #expect(spec["terminationGracePeriodSeconds"] == 30)
        #expect(spec["schedulerName"] == "default-scheduler")
        let container = spec["containers"][0]
        #expect(container["imagePullPolicy"] == "IfNotPresent")
        #expect(container["ports"][0]["protocol"] == "TCP")
        #expect(container["terminationMessagePath"] == "/dev/termination-log")
        #expect(container["terminationMessagePolicy"] == "File")
        #expect(created["status"]["phase"] == "Pending")
        #expect(created["status"]["qosClass"] == "BestEffort")
    }

    @Test("imagePullPolicy follows the image tag", arguments: [
        ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
        ("registry.local:5000/team/app", "Always"), ("registry.local:5000/team/app:v2", "IfNotPresent"),
        ("registry.local:5000/team/app:latest", "Always"),
        ("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent"),
    ])
    func imagePullPolicy(image: String, expected: String) async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let created = try await h.create(h.def("pods"), "default", Fixtures.pod("p", image: image))
        #expect(created["spec"]["containers"][0]["imagePullPolicy"].string == expected)
    }

    @Test("an explicit imagePullPolicy is kept")
    func explicitPullPolicy() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var pod = Fixtures.pod("p", image: "nginx:latest")
        pod[path: ["spec", "containers"]] = [["name": "app", "image": "nginx:latest", "imagePullPolicy": "Never"]]
        let created = try await h.create(h.def("pods"), "default", pod)
        #expect(created["spec"]["containers"][0]["imagePullPolicy"] == "Never")
    }

    @Test("service: cluster IPs come from the service CIDR and are distinct")
    func serviceClusterIPs() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let services = try await h.def("services")
        var ips: Set<String> = []
        for i in 0..<6 {
            let created = try await h.create(services, "default", Fixtures.service("svc-\(i)"))
            let ip = try #require(created["spec"]["clusterIP"].string)
            #expect(ip.hasPrefix("10.43."))
            let octets = ip.split(separator: ".").compactMap { Int($0) }
            #expect(octets.count == 4 && octets.allSatisfy { (0...255).contains($0) })
            #expect(ip != "10.43.0.1")
            #expect(ip != "10.43.0.0")
            #expect(created["spec"]["clusterIPs"] == [.string(ip)])
            ips.insert(ip)
        }
        #expect(ips.count == 6)
    }

    @Test("service: type, protocol and targetPort defaults")
    func servicePortDefaults() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let created = try await h.create(h.def("services"), "default", Fixtures.service("web", port: 8080))
        let spec = created["spec"]
        #expect(spec["type"] == "ClusterIP")
        #expect(spec["sessionAffinity"] == "None")
        #expect(spec["ports"][0]["protocol"] == "TCP")
        #expect(spec["ports"][0]["targetPort"] == 8080)
        #expect(spec["ports"][0]["nodePort"].isNull)
        #expect(spec["ipFamilies"] == ["IPv4"])
    }

    @Test("service: a requested cluster IP is honoured once")
    func requestedClusterIP() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let services = try await h.def("services")
        var body = Fixtures.service("fixed")
        body[path: ["spec", "clusterIP"]] = "10.43.7.7"
        let created = try await h.create(services, "default", body)
        #expect(created["spec"]["clusterIP"] == "10.43.7.7")
        var clash = Fixtures.service("clash")
        clash[path: ["spec", "clusterIP"]] = "10.43.7.7"
        let error = await apiError { try await h.create(services, "default", clash) }
        #expect(error?.code == 422)
        var outside = Fixtures.service("outside")
        outside[path: ["spec", "clusterIP"]] = "192.168.1.1"
        let rangeError = await apiError { try await h.create(services, "default", outside) }
        #expect(rangeError?.code == 422)
    }

    @Test("service: NodePort gets a node port in 30000-32767, kept on update")
    func nodePort() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let services = try await h.def("services")
        let created = try await h.create(services, "default", Fixtures.service("np", type: "NodePort"))
        let nodePort = try #require(created["spec"]["ports"][0]["nodePort"].int)
        #expect((30000...32767).contains(nodePort))
        #expect(created["spec"]["externalTrafficPolicy"] == "Cluster")
        let clusterIP = try #require(created["spec"]["clusterIP"].string)

        // A replace that leaves the node port and cluster IP out keeps both.
        var body = Fixtures.service("np", type: "NodePort")
        body[path: ["metadata", "labels", "changed"]] = "yes"
        let updated = try await h.update(services, "default", "np", .replace(body))
        #expect(updated["spec"]["ports"][0]["nodePort"].int == nodePort)
        #expect(updated["spec"]["clusterIP"].string == clusterIP)
        #expect(updated["metadata"]["labels"]["changed"] == "yes")

        let other = try await h.create(services, "default", Fixtures.service("np2", type: "NodePort"))
        #expect(other["spec"]["ports"][0]["nodePort"].int != nodePort)

        // A node port in use cannot be requested again.
        var clash = Fixtures.service("np3", type: "NodePort")
        clash[path: ["spec", "ports"]] = [["name": "http", "port": 80, "nodePort": .int(nodePort)]]
        let error = await apiError { try await h.create(services, "default", clash) }
        #expect(error?.code == 422)
    }

    @Test("service: ExternalName gets no cluster IP")
    func externalName() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let body: JSON = [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "ext"],
            "spec": ["type": "ExternalName", "externalName": "example.com"],
        ]
        let created = try await h.create(h.def("services"), "default", body)
        #expect(created["spec"]["clusterIP"].isNull)
        #expect(created["spec"]["type"] == "ExternalName")
    }

    @Test("job: generated selector and controller-uid labels")
    func job() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let created = try await h.create(h.def("jobs", group: "batch"), "default", Fixtures.job("work"))
        let uid = try #require(created["metadata"]["uid"].string)
        #expect(created["spec"]["selector"] == ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]])
        let labels = created["spec"]["template"]["metadata"]["labels"]
        #expect(labels["batch.kubernetes.io/controller-uid"].string == uid)
        #expect(labels["controller-uid"].string == uid)
        #expect(labels["batch.kubernetes.io/job-name"] == "work")
        #expect(labels["job-name"] == "work")
        #expect(created["spec"]["completions"] == 1)
        #expect(created["spec"]["parallelism"] == 1)
        #expect(created["spec"]["backoffLimit"] == 6)
        #expect(created["spec"]["template"]["spec"]["restartPolicy"] == "Never")
    }

    @Test("namespace: name label, finalizer and phase Active")
    func namespace() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let namespaces = try await h.def("namespaces")
        var body = Fixtures.namespace("team-a")
        body["status"] = ["phase": "Terminating"]
        let created = try await h.create(namespaces, nil, body)
        #expect(created["metadata"]["labels"]["kubernetes.io/metadata.name"] == "team-a")
        #expect(created["status"]["phase"] == "Active")
        #expect(created["spec"]["finalizers"] == ["kubernetes"])
        // The name label cannot be changed away.
        let updated = try await h.update(namespaces, nil, "team-a", patch {
            $0[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = "other"
        })
        #expect(updated["metadata"]["labels"]["kubernetes.io/metadata.name"] == "team-a")
    }

    @Test("service: switching NodePort back to ClusterIP drops the type-dependent fields")
    func nodePortToClusterIP() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let services = try await h.def("services")
        let created = try await h.create(services, "default", Fixtures.service("np", type: "NodePort"))
        // As `kubectl patch svc np -p '{"spec":{"type":"ClusterIP"}}'`: Kubernetes drops the node ports and the
        // externalTrafficPolicy the user left unchanged (dropTypeDependentFields).
        let updated = try await h.update(services, "default", "np", patch { $0[path: ["spec", "type"]] = "ClusterIP" })
        #expect(updated["spec"]["type"] == "ClusterIP")
        #expect(updated["spec"]["ports"][0]["nodePort"].isNull)
        #expect(updated["spec"]["externalTrafficPolicy"].isNull)
        #expect(updated["spec"]["clusterIP"] == created["spec"]["clusterIP"])
    }
}
