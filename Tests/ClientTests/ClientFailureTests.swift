import Client
import Foundation
import Wire
import XCTest

/// How the client fails when the server is missing, silent, or speaks nonsense: always with
/// a specific error, never a hang past its timeouts.
final class ClientFailureTests: XCTestCase {
    /// A one-connection server on a free loopback port that sends `greeting` and then
    /// stays silent until the test ends.
    private final class FakeServer: @unchecked Sendable {
        let port: UInt16
        private let listener: Int32
        private var accepted: Int32 = -1

        init(greeting: [UInt8]) throws {
            listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = listener
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 4) == 0
                        && getsockname(fd, $0, &length) == 0
                }
            }
            guard ok else { throw POSIXError(.EADDRNOTAVAIL) }
            port = UInt16(bigEndian: address.sin_port)

            Thread.detachNewThread { [self] in
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                accepted = client
                _ = greeting.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
            }
        }

        deinit {
            if accepted >= 0 { close(accepted) }
            close(listener)
        }
    }

    func testConnectingWhereNobodyListensIsCannotConnect() throws {
        // Port 1 (tcpmux) has no listener on these machines: the kernel refuses at once.
        XCTAssertThrowsError(
            try ColoniesClient(host: "127.0.0.1", port: 1, connectTimeout: 2000)
        ) {
            guard case .cannotConnect(let host, 1, _) = $0 as? ClientError else {
                return XCTFail("expected cannotConnect, got \($0)")
            }
            XCTAssertEqual(host, "127.0.0.1")
        }
    }

    func testAnUnknownHostNameIsCannotConnect() {
        XCTAssertThrowsError(try ColoniesClient(host: "no-such-host.invalid", port: 50080)) {
            guard case .cannotConnect = $0 as? ClientError else {
                return XCTFail("expected cannotConnect, got \($0)")
            }
        }
    }

    func testAServerThatNeverSaysHelloTimesOut() throws {
        let silent = try FakeServer(greeting: [])
        XCTAssertThrowsError(
            try ColoniesClient(host: "127.0.0.1", port: silent.port, readTimeout: 300)
        ) {
            XCTAssertEqual($0 as? ClientError, .timedOut)
        }
    }

    func testAGreetingThatIsNotAFrameIsMalformed() throws {
        // A length prefix of 2 is shorter than any frame header.
        let garbage = try FakeServer(greeting: [0, 0, 0, 2, 1, 1])
        XCTAssertThrowsError(
            try ColoniesClient(host: "127.0.0.1", port: garbage.port, readTimeout: 2000)
        ) {
            XCTAssertEqual($0 as? ClientError, .malformed(WireError(.truncated, "length")))
        }
    }

    func testAHelloFromANewerProtocolIsRefused() throws {
        var encoder = FrameEncoder()
        let hello = Hello(minVersion: 2, maxVersion: 3, challenge: Random.id(), serverId: .zero)
        let newer = try FakeServer(greeting: encoder.hello(hello))
        XCTAssertThrowsError(
            try ColoniesClient(host: "127.0.0.1", port: newer.port, readTimeout: 2000)
        ) {
            XCTAssertEqual($0 as? ClientError, .unsupportedVersion(min: 2, max: 3))
        }
    }

    func testACallWithNoAnswerTimesOut() throws {
        var encoder = FrameEncoder()
        let hello = Hello(minVersion: 1, maxVersion: 1, challenge: Random.id(), serverId: .zero)
        let mute = try FakeServer(greeting: encoder.hello(hello))
        let client = try ColoniesClient(host: "127.0.0.1", port: mute.port, readTimeout: 300)
        XCTAssertThrowsError(try client.ping()) {
            XCTAssertEqual($0 as? ClientError, .timedOut)
        }
    }
}
