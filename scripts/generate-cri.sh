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
# swift-protobuf declares messages kept in heap storage `@unchecked Sendable`; the project requires a
# comment proving each such conformance safe, so the proof is written above every one of them.
awk '
  /^package nonisolated struct .*: @unchecked Sendable \{$/ {
    print "// @unchecked Sendable, proven safe: this message keeps its fields in a `_StorageClass` reference, and"
    print "// every write (setters, clear/has helpers, decoding) goes through `_uniqueStorage()`, which first copies"
    print "// the storage unless this value holds the only reference to it (copy-on-write). So no storage object is"
    print "// written while another value shares it, and every field it holds is itself Sendable."
  }
  { print }
' "$out/runtime.pb.swift" > "$out/runtime.pb.swift.tmp" && mv "$out/runtime.pb.swift.tmp" "$out/runtime.pb.swift"
echo "generated: $(ls "$out")"
