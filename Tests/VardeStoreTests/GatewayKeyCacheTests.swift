import Foundation
import Testing
import VardeStore

@Suite("Gateway key cache")
struct GatewayKeyCacheTests {
    let key = GatewayKeyCache.Key(gateway: UUID(), hash: "sha256:ab", teams: [UUID()])

    @Test("a stored key is found until the cache is invalidated")
    func storeAndInvalidate() {
        let cache = GatewayKeyCache()
        #expect(cache.lookup("k1") == nil)
        cache.store("k1", key, readAt: cache.generation)
        #expect(cache.lookup("k1") == key)
        #expect(cache.lookup("k2") == nil)
        cache.invalidate()
        #expect(cache.lookup("k1") == nil)
    }

    @Test("a key read before an invalidation is not stored after it")
    func readBeforeInvalidation() {
        let cache = GatewayKeyCache()
        let generation = cache.generation
        cache.invalidate()  // a revocation while the database read was under way
        cache.store("k1", key, readAt: generation)
        #expect(cache.lookup("k1") == nil)
        cache.store("k1", key, readAt: cache.generation)
        #expect(cache.lookup("k1") == key)
    }

    @Test("an entry expires after maxAge")
    func expiry() async throws {
        let cache = GatewayKeyCache(maxAge: .milliseconds(500))
        cache.store("k1", key, readAt: cache.generation)
        #expect(cache.lookup("k1") == key)
        try await Task.sleep(for: .milliseconds(650))
        #expect(cache.lookup("k1") == nil)
    }
}
