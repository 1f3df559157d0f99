import COpenSSL
import Foundation
import MailCore

/// The keys that encrypt TLS session tickets (RFC 5077, RFC 8446 §4.6.1), shared by every server
/// context of the process and rotated.
///
/// OpenSSL's default makes one random key per `SSL_CTX` and keeps it for the context's life:
/// tickets then die with every SIGHUP reload and a key is never retired, so one leaked key
/// decrypts every session since start. Here one ring serves all listeners and reloads: a fresh
/// key encrypts new tickets; after `lifetime` seconds it becomes the previous key, which still
/// decrypts, and one period later it is
/// gone. A ticket is thus usable for at most two lifetimes; every resumption gets a fresh ticket under
/// the current key. Keys live only in memory.
public final class TicketKeyRing: @unchecked Sendable {
    struct Key {
        var name: [UInt8]  // 16 bytes, sent in the clear with the ticket
        var aes: [UInt8]  // AES-256-CBC key
        var hmac: [UInt8]  // HMAC-SHA256 key
        var created: Double
    }

    /// The ring every server context uses.
    public static let shared = TicketKeyRing()

    private var lifetime: Double = 12 * 3600
    private var current: Key?
    private var previous: Key?
    private var now: @Sendable () -> Double = { Date().timeIntervalSince1970 }
    private let lock = Locked(())

    /// Sets how long a key encrypts new tickets before it is retired (seconds).
    public func configure(lifetime: Double) {
        lock.withLock { _ in self.lifetime = max(60, lifetime) }
    }

    /// Retires the current key now (the previous one is dropped); for tests and key compromise.
    public func rotate() {
        lock.withLock { _ in rotateLocked(at: now()) }
    }

    /// How many keys were made so far (for tests and logs).
    public var generations: Int { lock.withLock { _ in made } }
    private var made = 0

    /// Installs the ring as `ctx`'s ticket key callback.
    func install(on ctx: OpaquePointer) {
        _ = SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticketKeyCallback)
    }

    private func rotateLocked(at time: Double) {
        previous = current
        current = Self.makeKey(at: time)
        made += 1
    }

    private static func makeKey(at time: Double) -> Key? {
        func random(_ n: Int) -> [UInt8]? {
            var b = [UInt8](repeating: 0, count: n)
            return RAND_bytes(&b, Int32(n)) == 1 ? b : nil
        }
        guard let name = random(16), let aes = random(32), let hmac = random(32) else { return nil }
        return Key(name: name, aes: aes, hmac: hmac, created: time)
    }

    /// The key to encrypt a new ticket with, rotating first when the current one is due.
    func keyForNewTicket() -> Key? {
        lock.withLock { _ in
            let t = now()
            if current == nil || t - current!.created >= lifetime { rotateLocked(at: t) }
            return current
        }
    }

    /// The key a received ticket names, while it is current or previous.
    func keyForTicket(named name: [UInt8]) -> Key? {
        lock.withLock { _ in
            let t = now()
            if let c = current, t - c.created >= lifetime { rotateLocked(at: t) }
            if let c = current, c.name == name { return c }
            if let p = previous, p.name == name, t - p.created < 2 * lifetime { return p }
            return nil
        }
    }
}

/// OpenSSL's ticket key callback: 1 = key set (new ticket), 2 = key set and renew the ticket,
/// 0 = unknown ticket (full handshake), -1 = error.
private let ticketKeyCallback:
    @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?, OpaquePointer?,
        OpaquePointer?, Int32
    ) -> Int32 = { _, keyName, iv, cipherContext, macContext, encrypt in
        guard let keyName, let iv, let cipherContext, let macContext else { return -1 }
        let ring = TicketKeyRing.shared
        if encrypt == 1 {
            guard let key = ring.keyForNewTicket() else { return -1 }
            guard RAND_bytes(iv, 16) == 1 else { return -1 }
            for i in 0..<16 { keyName[i] = key.name[i] }
            guard EVP_EncryptInit_ex(cipherContext, EVP_aes_256_cbc(), nil, key.aes, iv) == 1,
                gm_ticket_hmac_init(macContext, key.hmac, key.hmac.count) == 1
            else { return -1 }
            return 1
        }
        let name = Array(UnsafeBufferPointer(start: keyName, count: 16))
        guard let key = ring.keyForTicket(named: name) else { return 0 }
        guard gm_ticket_hmac_init(macContext, key.hmac, key.hmac.count) == 1,
            EVP_DecryptInit_ex(cipherContext, EVP_aes_256_cbc(), nil, key.aes, iv) == 1
        else { return -1 }
        // 2: accept and issue a fresh ticket under the current key. OpenSSL sends no new TLS 1.3
        // ticket after a resumption otherwise, and clients that keep only their last session
        // (python's ssl, mail apps) would fall back to full handshakes every other connection.
        return 2
    }
