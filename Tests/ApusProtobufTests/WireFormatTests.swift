import ApusMachinery
import Testing
@testable import ApusProtobuf

/// Hand-built messages for the wire-format rules the kubectl captures do not exercise.
struct WireFormatTests {
    private func deployment(_ build: (inout ProtobufBuilder) -> Void) throws -> JSON {
        try KubernetesProtobuf.decode(ProtobufBuilder.body(apiVersion: "apps/v1", kind: "Deployment", build))
    }

    private func pod(_ build: (inout ProtobufBuilder) -> Void) throws -> JSON {
        try KubernetesProtobuf.decode(ProtobufBuilder.body(apiVersion: "v1", kind: "Pod", build))
    }

    @Test func omitEmptyScalarsDropZeroButPointersKeepIt() throws {
        let object = try deployment { d in
            d.message(2) { spec in
                spec.int(1, 0)          // replicas: *int32, kept
                spec.int(5, 0)          // minReadySeconds: int32 omitempty, dropped
                spec.bool(7, false)     // paused: bool omitempty, dropped
                spec.int(6, 4)          // revisionHistoryLimit
            }
        }
        #expect(object["spec"] == ["replicas": 0, "revisionHistoryLimit": 4])
    }

    @Test func negativeIntegersUseTenByteVarints() throws {
        let object = try deployment { d in
            d.message(1) { meta in meta.int(10, -30) }   // deletionGracePeriodSeconds: int64
            d.message(2) { spec in spec.int(1, -1) }     // replicas: int32, sign-extended on the wire
        }
        #expect(object[path: ["metadata", "deletionGracePeriodSeconds"]] == .int(-30))
        #expect(object[path: ["spec", "replicas"]] == .int(-1))
    }

    @Test func timesAreRFC3339WithWholeSeconds() throws {
        let object = try deployment { d in
            d.message(1) { meta in
                meta.message(8) { time in
                    time.int(1, 1_704_164_645)
                    time.int(2, 999_000_000)   // nanos: Kubernetes drops them
                }
                meta.message(9) { _ in }       // deletionTimestamp: empty is the zero time, printed null
            }
        }
        #expect(object["metadata"] == ["creationTimestamp": "2024-01-02T03:04:05Z"])
    }

    @Test func timeOutsideGoRangeIsRejected() {
        let body = ProtobufBuilder.body(apiVersion: "v1", kind: "Namespace") { ns in
            ns.message(1) { meta in meta.message(8) { time in time.int(1, 400_000_000_000) } }
        }
        #expect(throws: APIError.self) { try KubernetesProtobuf.decode(body) }
    }

    @Test func intOrString() throws {
        func service(type: UInt64, int: Int64, string: String) throws -> JSON {
            try KubernetesProtobuf.decode(ProtobufBuilder.body(apiVersion: "v1", kind: "Service") { svc in
                svc.message(2) { spec in
                    spec.message(1) { port in
                        port.int(3, 80)
                        port.message(4) { target in
                            target.varint(1, type)
                            target.int(2, int)
                            target.string(3, string)
                        }
                    }
                }
            })
        }
        #expect(try service(type: 0, int: 8080, string: "")[path: ["spec", "ports"]][0] == ["port": 80, "targetPort": 8080])
        #expect(try service(type: 1, int: 0, string: "http")[path: ["spec", "ports"]][0] == ["port": 80, "targetPort": "http"])
        #expect(throws: APIError.self) { try service(type: 7, int: 0, string: "") }
    }

    @Test func quantitiesAreStrings() throws {
        let body = ProtobufBuilder.body(apiVersion: "v1", kind: "ResourceQuota") { quota in
            quota.message(2) { spec in
                spec.message(1) { entry in
                    entry.string(1, "cpu")
                    entry.message(2) { quantity in quantity.string(1, "500m") }
                }
                spec.message(1) { entry in
                    entry.string(1, "pods")
                    entry.message(2) { _ in }   // an empty Quantity is zero
                }
            }
        }
        #expect(try KubernetesProtobuf.decode(body)[path: ["spec", "hard"]] == ["cpu": "500m", "pods": "0"])
    }

    @Test func bytesAreBase64() throws {
        let body = ProtobufBuilder.body(apiVersion: "v1", kind: "Secret") { secret in
            for (key, value) in [("one", [UInt8]("a".utf8)), ("two", Array("ab".utf8)), ("three", Array("abc".utf8)), ("binary", [0xFF, 0x00, 0xFE, 0x7F])] {
                secret.message(2) { entry in
                    entry.string(1, key)
                    entry.data(2, value)
                }
            }
        }
        let data = try KubernetesProtobuf.decode(body)["data"]
        #expect(data == ["one": "YQ==", "two": "YWI=", "three": "YWJj", "binary": "/wD+fw=="])
    }

    @Test func mapEntriesWithoutKeyOrValueTakeZeroValues() throws {
        let body = ProtobufBuilder.body(apiVersion: "v1", kind: "ConfigMap") { cm in
            cm.message(2) { entry in entry.string(1, "novalue") }
            cm.message(2) { entry in entry.string(2, "nokey") }
            cm.mapEntry(2, "a", "1")
            cm.mapEntry(2, "a", "2")   // a repeated key: the last entry wins, as in Go
        }
        #expect(try KubernetesProtobuf.decode(body)["data"] == ["novalue": "", "": "nokey", "a": "2"])
    }

    @Test func repeatedNumbersPackedOrNot() throws {
        let object = try pod { pod in
            pod.message(2) { spec in
                spec.message(14) { security in   // PodSecurityContext
                    security.int(4, 1000)         // supplementalGroups, one by one
                    var packed = ProtobufBuilder()
                    for group in [2000, 3000] as [UInt64] { packed.bytes += ProtobufBuilder.varintBytes(group) }
                    security.data(4, packed.bytes)   // and as a packed run
                }
            }
        }
        #expect(object[path: ["spec", "securityContext", "supplementalGroups"]] == [1000, 2000, 3000])
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        let object = try deployment { d in
            d.varint(99, 12345)
            d.fixed64(100, 0xDEAD_BEEF)
            d.fixed32(101, 7)
            d.string(102, "ignored")
            d.message(1) { meta in
                meta.string(1, "web")
                meta.message(500) { nested in nested.string(1, "ignored too") }
            }
        }
        #expect(object == ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"]])
    }

    @Test func wrongWireTypeForAKnownFieldIsRejected() {
        let body = ProtobufBuilder.body(apiVersion: "apps/v1", kind: "Deployment") { d in
            d.message(2) { spec in spec.string(1, "three") }   // replicas must be a varint
        }
        #expect {
            try KubernetesProtobuf.decode(body)
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.code == 400 && error.message.contains("spec.replicas")
        }
    }

    @Test func repeatedSingularFieldsFollowProtobufMergeRules() throws {
        let object = try deployment { d in
            d.message(1) { meta in meta.string(1, "first") }
            d.message(1) { meta in
                meta.string(1, "second")               // a scalar: the last value wins
                meta.mapEntry(11, "app", "web")        // a message: the two occurrences merge
            }
        }
        #expect(object["metadata"] == ["name": "second", "labels": ["app": "web"]])
    }

    @Test func embeddedStructsAreInlined() throws {
        let object = try pod { pod in
            pod.message(2) { spec in
                spec.message(1) { volume in                 // Volume{name, VolumeSource inline}
                    volume.string(1, "config")
                    volume.message(2) { source in
                        source.message(19) { configMap in   // ConfigMapVolumeSource{LocalObjectReference inline}
                            configMap.message(1) { ref in ref.string(1, "settings") }
                            configMap.int(3, 420)
                        }
                    }
                }
                spec.message(2) { container in
                    container.string(1, "web")
                    container.message(10) { probe in    // livenessProbe: Probe{ProbeHandler inline}
                        probe.message(1) { handler in
                            handler.message(2) { get in  // httpGet
                                get.string(1, "/healthz")
                                get.message(2) { port in port.int(2, 8080) }
                            }
                        }
                        probe.int(3, 5)   // timeoutSeconds
                    }
                }
            }
        }
        #expect(object[path: ["spec", "volumes"]] == [["name": "config", "configMap": ["name": "settings", "defaultMode": 420]]])
        #expect(object[path: ["spec", "containers"]][0]["livenessProbe"] == ["httpGet": ["path": "/healthz", "port": 8080], "timeoutSeconds": 5])
    }

    @Test func managedFieldsEmbedTheirJSON() throws {
        func configMap(fields: String) throws -> JSON {
            try KubernetesProtobuf.decode(ProtobufBuilder.body(apiVersion: "v1", kind: "ConfigMap") { cm in
                cm.message(1) { meta in
                    meta.message(17) { entry in
                        entry.string(1, "kubectl-create")
                        entry.string(2, "Update")
                        entry.string(6, "FieldsV1")
                        entry.message(7) { raw in raw.string(1, fields) }
                    }
                }
            })
        }
        let object = try configMap(fields: #"{"f:data":{"f:a":{}}}"#)
        #expect(object[path: ["metadata", "managedFields"]] == [[
            "manager": "kubectl-create", "operation": "Update", "fieldsType": "FieldsV1",
            "fieldsV1": ["f:data": ["f:a": .object([:])]],
        ]])
        #expect(throws: APIError.self) { try configMap(fields: "{not json") }
    }
}
