import Testing
@testable import ApusAPIServer

@Suite struct KnownCertificatesTests {
    @Test func aCertificateSeenBeforeNamesItsUserWithoutParsing() {
        let known = KnownCertificates()
        let alice = UserInfo(name: "alice", groups: ["dev", "system:authenticated"])
        #expect(known.user(for: [1, 2, 3]) == nil)
        known.remember(alice, for: [1, 2, 3])
        #expect(known.user(for: [1, 2, 3]) == alice)
        #expect(known.user(for: [1, 2, 4]) == nil)
    }

    @Test func theCacheStaysBounded() {
        let known = KnownCertificates()
        for index in 0..<(KnownCertificates.limit + 1) {
            known.remember(UserInfo(name: "user-\(index)", groups: []), for: [UInt8(index % 256), UInt8(index / 256)])
        }
        // Full at the limit, it started over: only the newest certificate is remembered.
        #expect(known.user(for: [0, 0]) == nil)
        #expect(known.user(for: [UInt8(KnownCertificates.limit % 256), UInt8(KnownCertificates.limit / 256)])?.name == "user-\(KnownCertificates.limit)")
    }
}
