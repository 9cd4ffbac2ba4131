import Synchronization
import XCTest

@testable import Server

/// Holds each frame's reply until the test releases it, like a server waiting for a commit.
final class DeferredReplyHandler: ConnectionHandler {
    let held = Locked<[(Connection<DeferredReplyHandler>, [UInt8])]>([])
    let closed = Atomic<Int>(0)

    func frame(_ connection: Connection<DeferredReplyHandler>, _ payload: ArraySlice<UInt8>) {
        held.withLock { $0.append((connection, Array(payload))) }
    }

    func closed(_ connection: Connection<DeferredReplyHandler>) {
        closed.wrappingAdd(1, ordering: .relaxed)
    }

    /// Sends every held reply from the connection's loop, as a writer thread would.
    func releaseAll() {
        for (connection, reply) in held.withLock({ $0 }) {
            connection.loop.execute { connection.send(reply) }
        }
    }
}

final class ReactorTestsShutdown: XCTestCase {
    func testShutdownWaitsForInFlightRepliesThenClosesEveryConnection() throws {
        let handler = DeferredReplyHandler()
        let reactor = try Reactor(configuration: testConfiguration(), handler: handler)
        try reactor.start()
        let clients = try (0..<4).map { _ in try ReactorTestClient(port: reactor.port) }
        for client in clients {
            try client.write(framed([9, 9]))
        }
        eventually("every request is held") { handler.held.withLock { $0.count } == 4 }

        reactor.shutdown(drain: { handler.releaseAll() })

        for client in clients {
            XCTAssertEqual(try client.readFrame(), [9, 9])
            XCTAssertTrue(try client.isClosedByServer())
        }
        XCTAssertEqual(handler.closed.load(ordering: .relaxed), 4)
        XCTAssertEqual(reactor.counters.connectionsOpen, 0)
        XCTAssertFalse(reactor.loops[0].execute {}, "a stopped loop must refuse work")
        XCTAssertTrue(reactor.loops[1].schedule(after: 0) {}.isCancelled)
    }

    func testAReactorThatNeverStartedShutsDownAndFreesItsPort() throws {
        var configuration = testConfiguration()
        let first = try Reactor(configuration: configuration, handler: DeferredReplyHandler())
        configuration.port = first.port

        first.shutdown()
        first.waitUntilStopped()

        let second = try Reactor(configuration: configuration, handler: DeferredReplyHandler())
        XCTAssertEqual(second.port, first.port)
        second.shutdown()
    }

    func testABadHostIsReportedAsAnInvalidAddress() {
        var configuration = testConfiguration()
        configuration.host = "not-an-address"

        XCTAssertThrowsError(
            try Reactor(configuration: configuration, handler: DeferredReplyHandler())
        ) { error in
            XCTAssertEqual(error as? ReactorError, .invalidAddress("not-an-address"))
        }
    }

    func testAPortInUseByAnotherReactorNamesTheFailingCall() throws {
        var configuration = testConfiguration()
        let first = try Reactor(configuration: configuration, handler: DeferredReplyHandler())
        defer { first.shutdown() }
        configuration.port = first.port

        // SO_REUSEPORT lets same-user sockets share a port, so a clash needs another
        // kind of conflict: here a listener bound without it.
        let plain = try Syscall.tcpSocket(family: AF_INET)
        defer { Syscall.close(plain) }
        let address = try SocketAddress(host: "127.0.0.1", port: 0)
        try Syscall.bind(plain, to: address)
        try Syscall.listen(plain, backlog: 1)
        configuration.port = try Syscall.localAddress(plain).port

        XCTAssertThrowsError(
            try Reactor(configuration: configuration, handler: DeferredReplyHandler())
        ) { error in
            XCTAssertEqual(error as? ReactorError, .system(call: "bind", errno: EADDRINUSE))
        }
    }
}
