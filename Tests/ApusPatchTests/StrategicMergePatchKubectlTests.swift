import ApusMachinery
import Testing
@testable import ApusPatch

/// The request bodies kubectl 1.32 sends, applied to realistic live objects.
@Suite struct StrategicMergePatchKubectlTests {
    let deploymentSchema = PatchSchema.forKind(group: "apps", kind: "Deployment")

    func liveDeployment() throws -> JSON {
        try json("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"app","namespace":"default","uid":"u1","resourceVersion":"7","generation":2,
                         "labels":{"app":"app"},"annotations":{"deployment.kubernetes.io/revision":"2",
                         "kubectl.kubernetes.io/last-applied-configuration":"old\\n"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"app"}},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
                     "template":{"metadata":{"labels":{"app":"app"}},
                                 "spec":{"containers":[{"name":"web","image":"nginx:1.25",
                                                        "ports":[{"containerPort":80,"protocol":"TCP"}],
                                                        "env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"D","value":"4"}],
                                                        "resources":{}}],
                                         "restartPolicy":"Always","dnsPolicy":"ClusterFirst"}}},
             "status":{"replicas":2,"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]}}
            """)
    }

    func apply(_ patch: String, to live: JSON) throws -> JSON {
        try StrategicMergePatch.apply(try json(patch), to: live, schema: deploymentSchema)
    }

    @Test func applySecondTimeChangesTheImage() throws {
        let live = try liveDeployment()
        let result = try apply("""
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new\\n"}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"nginx:1.26","name":"web"}]}}}}
            """, to: live)
        let container = result["spec"]["template"]["spec"]["containers"][0]
        #expect(container["image"].string == "nginx:1.26")
        #expect(container["ports"] == live["spec"]["template"]["spec"]["containers"][0]["ports"])
        #expect(container["env"] == live["spec"]["template"]["spec"]["containers"][0]["env"])
        #expect(result["spec"]["template"]["spec"]["containers"].array?.count == 1)
        #expect(result["spec"]["template"]["spec"].object?.keys.contains { $0.hasPrefix("$") } == false)
        #expect(result["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"].string == "new\n")
        #expect(result["metadata"]["annotations"]["deployment.kubernetes.io/revision"].string == "2")
        #expect(result["status"] == live["status"])
        #expect(result["spec"]["strategy"] == live["spec"]["strategy"])
    }

    @Test func setImageChangesOnlyTheImage() throws {
        let live = try liveDeployment()
        let result = try apply("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"img:2","name":"web"}]}}}}
            """, to: live)
        var expected = live
        expected[path: ["spec", "template", "spec", "containers"]] = .array([{
            var container = live["spec"]["template"]["spec"]["containers"][0]
            container["image"] = "img:2"
            return container
        }()])
        #expect(result == expected)
    }

    @Test func strategySwitchToRecreateDropsRollingUpdate() throws {
        let result = try apply("""
            {"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}
            """, to: try liveDeployment())
        #expect(result["spec"]["strategy"] == (try json(#"{"type":"Recreate"}"#)))
    }

    @Test func retainKeysAloneClearsUnlistedMembers() throws {
        let result = try apply(#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#, to: try liveDeployment())
        #expect(result["spec"]["strategy"] == (try json(#"{"type":"Recreate"}"#)))
    }

    @Test func deleteDirectiveRemovesTheNamedContainer() throws {
        var live = try liveDeployment()
        live[path: ["spec", "template", "spec", "containers"]] = try json(#"[{"name":"A","image":"a"},{"name":"B","image":"b"},{"name":"C","image":"c"}]"#)
        let result = try apply("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"A"},{"name":"C"}],"containers":[{"$patch":"delete","name":"B"}]}}}}
            """, to: live)
        #expect(result["spec"]["template"]["spec"]["containers"] == (try json(#"[{"name":"A","image":"a"},{"name":"C","image":"c"}]"#)))
    }

    @Test func setElementOrderReordersEnvAndPlacesNewVariables() throws {
        let result = try apply("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"NEW"},{"name":"B"}],"env":[{"name":"NEW","value":"x"}],"name":"web"}]}}}}
            """, to: try liveDeployment())
        let names = result["spec"]["template"]["spec"]["containers"][0]["env"].array?.map { $0["name"].string ?? "" }
        // D is known only to the server and keeps its place after B.
        #expect(names == ["A", "NEW", "B", "D"])
        #expect(result["spec"]["template"]["spec"]["containers"][0]["env"][1] == (try json(#"{"name":"NEW","value":"x"}"#)))
    }

    @Test func setElementOrderWithoutAPatchListOnlyReorders() throws {
        let result = try apply("""
            {"spec":{"template":{"spec":{"containers":[{"$setElementOrder/env":[{"name":"D"},{"name":"A"},{"name":"B"}],"name":"web"}]}}}}
            """, to: try liveDeployment())
        let env = result["spec"]["template"]["spec"]["containers"][0]["env"]
        #expect(env == (try json(#"[{"name":"D","value":"4"},{"name":"A","value":"1"},{"name":"B","value":"2"}]"#)))
    }

    @Test func applyRemovingAnEnvVariable() throws {
        let result = try apply("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"D"}],"env":[{"$patch":"delete","name":"B"}],"name":"web"}]}}}}
            """, to: try liveDeployment())
        let names = result["spec"]["template"]["spec"]["containers"][0]["env"].array?.map { $0["name"].string ?? "" }
        #expect(names == ["A", "D"])
    }

    @Test func applyChangingPortsBySetElementOrder() throws {
        let result = try apply("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/ports":[{"containerPort":8080},{"containerPort":80}],"name":"web","ports":[{"containerPort":8080,"name":"alt"}]}]}}}}
            """, to: try liveDeployment())
        let ports = result["spec"]["template"]["spec"]["containers"][0]["ports"]
        #expect(ports == (try json(#"[{"containerPort":8080,"name":"alt"},{"containerPort":80,"protocol":"TCP"}]"#)))
    }

    @Test func nullDeletesAndUnmatchedNullIsIgnored() throws {
        let result = try apply("""
            {"metadata":{"labels":{"app":null,"absent":null}},"spec":{"template":{"spec":{"dnsPolicy":null}}}}
            """, to: try liveDeployment())
        #expect(result["metadata"]["labels"] == .emptyObject)
        #expect(result["spec"]["template"]["spec"].object?["dnsPolicy"] == nil)
        #expect(result["spec"]["template"]["spec"]["restartPolicy"].string == "Always")
    }

    @Test func cordonSetsUnschedulable() throws {
        let node = try json(#"{"kind":"Node","metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24"}}"#)
        let result = try StrategicMergePatch.apply(try json(#"{"spec":{"unschedulable":true}}"#), to: node,
                                                   schema: .forKind(group: "", kind: "Node"))
        #expect(result["spec"] == (try json(#"{"podCIDR":"10.0.0.0/24","unschedulable":true}"#)))
    }

    @Test func statusConditionsMergeByType() throws {
        let result = try apply(#"{"status":{"conditions":[{"type":"Progressing","status":"False","reason":"Stuck"}]}}"#,
                               to: try liveDeployment())
        #expect(result["status"]["conditions"] == (try json("""
            [{"type":"Available","status":"True"},{"type":"Progressing","status":"False","reason":"Stuck"}]
            """)))
    }

    @Test func scalarListsAreReplaced() throws {
        var live = try liveDeployment()
        live[path: ["spec", "template", "spec", "containers"]] = try json(#"[{"name":"web","args":["a","b"],"command":["sh"]}]"#)
        let result = try apply(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","args":["c"]}]}}}}"#, to: live)
        #expect(result["spec"]["template"]["spec"]["containers"][0] == (try json(#"{"name":"web","args":["c"],"command":["sh"]}"#)))
    }

    @Test func listsWithoutAMergeKeyAreReplaced() throws {
        var live = try liveDeployment()
        live[path: ["spec", "template", "spec", "tolerations"]] = try json(#"[{"key":"a","operator":"Exists"}]"#)
        let result = try apply(#"{"spec":{"template":{"spec":{"tolerations":[{"key":"b","operator":"Exists","value":null}]}}}}"#, to: live)
        #expect(result["spec"]["template"]["spec"]["tolerations"] == (try json(#"[{"key":"b","operator":"Exists"}]"#)))
    }

    @Test func newContainerWithoutOrderDirectiveComesFirst() throws {
        // Kubernetes places patch items ahead of server-only items unless $setElementOrder says otherwise.
        let result = try apply(#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}"#,
                               to: try liveDeployment())
        let names = result["spec"]["template"]["spec"]["containers"].array?.map { $0["name"].string ?? "" }
        #expect(names == ["sidecar", "web"])
    }

    @Test func newContainerIsStoredWithoutDirectivesOrNulls() throws {
        let result = try apply("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"side"}],"containers":[{"name":"side","image":"busybox","workingDir":null,"$setElementOrder/env":[{"name":"X"}],"env":[{"name":"X","value":"1"}]}]}}}}
            """, to: try liveDeployment())
        let containers = result["spec"]["template"]["spec"]["containers"]
        #expect(containers.array?.map { $0["name"].string ?? "" } == ["web", "side"])
        #expect(containers[1] == (try json(#"{"name":"side","image":"busybox","env":[{"name":"X","value":"1"}]}"#)))
    }

    @Test func newMembersAreResolvedBeforeStorage() throws {
        let result = try apply("""
            {"spec":{"template":{"spec":{"affinity":{"nodeAffinity":null,"podAffinity":{"$patch":"replace","x":1}},"volumes":[{"name":"v","emptyDir":{}},{"$patch":"delete","name":"w"}]}}}}
            """, to: try liveDeployment())
        #expect(result["spec"]["template"]["spec"]["affinity"] == (try json(#"{"podAffinity":{"x":1}}"#)))
        #expect(result["spec"]["template"]["spec"]["volumes"] == (try json(#"[{"name":"v","emptyDir":{}}]"#)))
    }

    @Test func patchReplaceOnAMapReplacesIt() throws {
        let result = try apply(#"{"metadata":{"labels":{"$patch":"replace","tier":"web"}}}"#, to: try liveDeployment())
        #expect(result["metadata"]["labels"] == (try json(#"{"tier":"web"}"#)))
    }

    @Test func patchDeleteOnAMapEmptiesIt() throws {
        let result = try apply(#"{"spec":{"strategy":{"$patch":"delete"}}}"#, to: try liveDeployment())
        #expect(result["spec"]["strategy"] == .emptyObject)
    }

    @Test func patchReplaceItemReplacesAMergingList() throws {
        let result = try apply("""
            {"spec":{"template":{"spec":{"containers":[{"name":"other","image":"x","env":null},{"$patch":"replace"}]}}}}
            """, to: try liveDeployment())
        #expect(result["spec"]["template"]["spec"]["containers"] == (try json(#"[{"name":"other","image":"x"}]"#)))
    }

    @Test func wholeObjectDirectives() throws {
        let live = try liveDeployment()
        #expect(try apply(#"{"$patch":"delete"}"#, to: live) == .emptyObject)
        #expect(try apply(#"{"$patch":"replace","kind":"Deployment"}"#, to: live) == (try json(#"{"kind":"Deployment"}"#)))
        #expect(try StrategicMergePatch.apply(.null, to: live, schema: deploymentSchema) == live)
        #expect(try apply("{}", to: live) == live)
    }
}
