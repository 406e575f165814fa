// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "apus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "apus", targets: ["apus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.3.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.28.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.0.0"),
    ],
    targets: [
        // JSON tree, API errors, selectors, patches, protobuf envelopes: no dependencies.
        .target(name: "ApusMachinery", swiftSettings: strict),
        // JSON merge patch, JSON patch (RFC 6902) and strategic merge patch.
        .target(name: "ApusPatch", dependencies: ["ApusMachinery"], swiftSettings: strict),
        // Decoding of `application/vnd.kubernetes.protobuf` request bodies into JSON objects.
        .target(name: "ApusProtobuf", dependencies: ["ApusMachinery"], swiftSettings: strict),
        // The type model of every built-in kind (from Kubernetes' own descriptors): unknown-field
        // detection for fieldValidation and the OpenAPI schemas `kubectl explain` reads.
        .target(name: "ApusSchema", dependencies: ["ApusMachinery"], swiftSettings: strict),
        // Field ownership (metadata.managedFields) and server-side apply, structured-merge-diff style.
        .target(name: "ApusManagedFields", dependencies: ["ApusMachinery", "ApusPatch"], swiftSettings: strict),
        // YAML to JSON trees with Kubernetes' scalar rules (request bodies, kubeconfigs).
        .target(name: "ApusYAML", dependencies: ["ApusMachinery", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // Server-side printing: Kubernetes' Table column sets per resource.
        .target(name: "ApusPrinters", dependencies: ["ApusMachinery"], swiftSettings: strict),
        // Kubernetes' validation rules: names, labels, and per-kind object validation.
        .target(name: "ApusValidation", dependencies: ["ApusMachinery"], swiftSettings: strict),
        // The revisioned key-value store interface, the in-memory backend and the watch cache.
        .target(name: "ApusStorage", dependencies: ["ApusMachinery"], swiftSettings: strict),
        // One conformance suite every storage backend must pass (used by tests of each backend).
        .target(name: "ApusStorageConformance", dependencies: ["ApusStorage"], swiftSettings: strict),
        .target(
            name: "ApusStorageSQLite",
            dependencies: ["ApusStorage", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // Resource registrations, the generic registry and per-kind strategies.
        .target(
            name: "ApusRegistry",
            dependencies: ["ApusMachinery", "ApusStorage", "ApusPatch", "ApusProtobuf", "ApusPrinters", "ApusValidation", "ApusSchema", "ApusManagedFields",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // Certificates and kubeconfig.
        .target(
            name: "ApusPKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict),
        // The HTTP face of the registry (Hummingbird over TLS).
        .target(
            name: "ApusAPIServer",
            dependencies: [
                "ApusMachinery", "ApusRegistry", "ApusPKI", "ApusPatch", "ApusManagedFields", "ApusPrinters", "ApusProtobuf", "ApusSchema",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "ApusYAML",
            ],
            swiftSettings: strict),
        // What every control loop's logic needs, without a network: resources, the reads (caches)
        // and writes (API calls) it makes, events, and Kubernetes' rules for owners and pods.
        .target(name: "ApusControllerKit", dependencies: ["ApusMachinery", "ApusPatch", "ApusValidation"], swiftSettings: strict),
        // A fake cluster, a manual clock and recorded events for control-loop unit tests.
        .target(name: "ApusControllerTesting", dependencies: ["ApusControllerKit", "ApusMachinery", "ApusPatch"], swiftSettings: strict),
        // The client library every component uses: HTTPS from a kubeconfig or in-cluster settings,
        // resources, watches that resume, informers, a work queue, leader election, events.
        .target(
            name: "ApusClient",
            dependencies: [
                "ApusControllerKit", "ApusMachinery", "ApusPatch", "ApusYAML",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // The controller manager and its controllers; they reach the cluster only through ApusClient.
        .target(
            name: "ApusControllers",
            dependencies: [
                "ApusClient", "ApusControllerKit", "ApusControllerLoops", "ApusScheduler", "ApusMachinery", "ApusPatch",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // The controllers' logic, one folder per area; the controller manager runs them.
        .target(name: "ApusControllerLoops", dependencies: ["ApusControllerKit", "ApusMachinery", "ApusPatch", "ApusValidation"], swiftSettings: strict),
        // The scheduler: queues, cache, plugin framework, plugins, preemption.
        .target(name: "ApusScheduler", dependencies: ["ApusControllerKit", "ApusMachinery", "ApusValidation", "ApusPatch"], swiftSettings: strict),
        // The Container Runtime Interface: the generated gRPC client (Generated/, from Protos/cri by
        // scripts/generate-cri.sh) and the runtime interface the kubelet uses over it.
        .target(
            name: "ApusCRI",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // The node agent: containerd supervised as a child, CNI configuration, and the kubelet.
        .target(
            name: "ApusKubelet",
            dependencies: [
                "ApusCRI", "ApusControllerKit", "ApusMachinery", "ApusValidation", "ApusPKI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // Simulated nodes (like KWOK): register nodes, heartbeat, and run pods without containers.
        .target(name: "ApusNodeSimulator", dependencies: ["ApusControllerKit", "ApusMachinery"], swiftSettings: strict),
        // Composition root: config, data dir, PKI, the server's ServiceGroup.
        .target(
            name: "ApusAssembly",
            dependencies: [
                "ApusAPIServer", "ApusRegistry", "ApusStorage", "ApusStorageSQLite", "ApusPKI", "ApusClient", "ApusControllerKit", "ApusControllers", "ApusNodeSimulator",
                "ApusKubelet", "ApusCRI",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "apus",
            dependencies: ["ApusAssembly", "ApusControllers", "ApusNodeSimulator", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        // Benchmarks: processes they start and the machine they record.
        .target(
            name: "ApusBenchSupport",
            dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "Benchmarks/support",
            swiftSettings: strict),
        .executableTarget(
            name: "apus-bench",
            dependencies: [
                "ApusBenchSupport",
                "ApusMachinery",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/apus-bench",
            swiftSettings: strict),
        .executableTarget(
            name: "apus-cluster-bench",
            dependencies: [
                "ApusBenchSupport", "ApusClient", "ApusControllerKit", "ApusMachinery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/cluster-bench",
            swiftSettings: strict),
        .executableTarget(
            name: "apus-scheduler-bench",
            dependencies: ["ApusScheduler", "ApusControllerKit", "ApusMachinery", "ApusPatch"],
            path: "Benchmarks/scheduler-bench",
            swiftSettings: strict),
        .testTarget(name: "ApusMachineryTests", dependencies: ["ApusMachinery"], swiftSettings: strict),
        .testTarget(name: "ApusPatchTests", dependencies: ["ApusPatch"], swiftSettings: strict),
        .testTarget(name: "ApusProtobufTests", dependencies: ["ApusProtobuf"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "ApusSchemaTests", dependencies: ["ApusSchema"], swiftSettings: strict),
        .testTarget(name: "ApusManagedFieldsTests", dependencies: ["ApusManagedFields", "ApusPatch"], swiftSettings: strict),
        .testTarget(name: "ApusPrintersTests", dependencies: ["ApusPrinters"], swiftSettings: strict),
        .testTarget(name: "ApusValidationTests", dependencies: ["ApusValidation"], swiftSettings: strict),
        .testTarget(
            name: "ApusStorageTests",
            dependencies: ["ApusStorage", "ApusStorageConformance", "ApusStorageSQLite"],
            swiftSettings: strict),
        .testTarget(name: "ApusRegistryTests", dependencies: ["ApusRegistry", "ApusStorage"], swiftSettings: strict),
        .testTarget(
            name: "ApusAPIServerTests",
            dependencies: ["ApusAPIServer", "ApusRegistry", "ApusStorage", "ApusPKI",
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strict),
        // End-to-end: the built `apus` binary driven by the real kubectl.
        .testTarget(name: "ApusClientTests", dependencies: ["ApusClient", "ApusControllerKit", "ApusMachinery"], swiftSettings: strict),
        .testTarget(name: "ApusControllerLoopsTests",
                    dependencies: ["ApusControllerLoops", "ApusControllerKit", "ApusControllerTesting", "ApusMachinery", "ApusPatch", "ApusValidation"], swiftSettings: strict),
        .testTarget(name: "ApusSchedulerTests",
                    dependencies: ["ApusScheduler", "ApusControllerKit", "ApusControllerTesting", "ApusMachinery", "ApusValidation", "ApusPatch"],
                    swiftSettings: strict),
        .testTarget(name: "ApusNodeSimulatorTests", dependencies: ["ApusNodeSimulator", "ApusControllerKit", "ApusControllerTesting", "ApusMachinery"],
                    swiftSettings: strict),
        .testTarget(name: "ApusKubeletTests", dependencies: ["ApusKubelet", "ApusCRI", "ApusControllerKit", "ApusControllerTesting", "ApusMachinery",
                                                            .product(name: "Logging", package: "swift-log"),
                                                            .product(name: "GRPCCore", package: "grpc-swift-2"),
                                                            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                                                            .product(name: "NIOCore", package: "swift-nio"),
                                                            .product(name: "NIOPosix", package: "swift-nio")],
                    swiftSettings: strict),
        .testTarget(name: "ApusEndToEndTests", dependencies: ["ApusMachinery", "ApusClient", "ApusControllerKit"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
