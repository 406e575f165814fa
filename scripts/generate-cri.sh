#!/usr/bin/env bash
# Regenerates the Swift code of the CRI client (Sources/ApusCRI/Generated) from the project's own
# Protos/cri/runtime.proto: the CRI messages and RPCs Apus uses, with upstream names and field numbers.
# The generated code is committed, so builds need neither protoc nor the plugins; run this after
# changing the .proto. It installs protoc (Debian protobuf-compiler) if missing and builds
# protoc-gen-swift and protoc-gen-grpc-swift-2 from the Swift packages, in .build-protoc/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.build-protoc"

if ! command -v protoc >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends protobuf-compiler
fi

mkdir -p "$tools"
cat > "$tools/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
// Only here to build the protoc plugins of the two packages.
import PackageDescription
let package = Package(
    name: "ProtocPlugins",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.28.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.0.0"),
    ],
    targets: [.target(name: "Nothing", path: "Nothing")]
)
SWIFT
mkdir -p "$tools/Nothing" && echo "// nothing" > "$tools/Nothing/Nothing.swift"
(cd "$tools" && swift build -c release --product protoc-gen-swift && swift build -c release --product protoc-gen-grpc-swift-2)
bin="$(cd "$tools" && swift build -c release --show-bin-path)"

out="$root/Sources/ApusCRI/Generated"
rm -rf "$out" && mkdir -p "$out"
protoc --proto_path="$root/Protos/cri" \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift="$bin/protoc-gen-grpc-swift-2" \
  --swift_out="$out" --swift_opt=Visibility=Package \
  --grpc-swift_out="$out" --grpc-swift_opt=Visibility=Package,Server=false,Client=true \
  runtime.proto
echo "generated: $(ls "$out")"
