import CLinux
import Glibc
import XCTest

@testable import Server

final class ReactorTests: XCTestCase {
    private func startEcho(
        _ configure: (inout ReactorConfiguration) -> Void = { _ in }
    ) throws -> (Reactor<EchoHandler>, EchoHandler) {
        var configuration = testConfiguration()
        configure(&configuration)
        let handler = EchoHandler()
        let reactor = try Reactor(configuration: configuration, handler: handler)
        try reactor.start()
        return (reactor, handler)
    }

    func testFramesSplitAcrossManyTinyWritesAreEchoedWhole() throws {
        let (reactor, _) = try startEcho()
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port)
        let payload = (0..<200).map { UInt8($0) }

        for byte in framed(payload) {
            try client.write([byte])
        }

        XCTAssertEqual(try client.readFrame(), payload)
    }

    /// The kernel picks a loop by hashing addresses; the reactor evens the loops out, so
    /// after closes the next connections go where there are fewest.
    func testConnectionsAreSpreadEvenlyOverTheLoopsAndRefillTheEmptiedOne() throws {
        let (reactor, handler) = try startEcho()
        defer { reactor.shutdown() }
        func perLoop() -> [Int: Int] {
            Dictionary(grouping: handler.openConnections, by: { $0.loop.index })
                .mapValues(\.count)
        }

        var clients = try (0..<10).map { _ in try ReactorTestClient(port: reactor.port) }
        eventually("ten connections are open") { handler.openConnections.count == 10 }
        XCTAssertEqual(perLoop(), [0: 5, 1: 5])

        // Close four of loop 0's connections, found by the port they came from.
        let loopZeroPorts = Set(
            handler.openConnections.filter { $0.loop.index == 0 }.prefix(4).map(\.peerPort))
        clients.removeAll { loopZeroPorts.contains($0.localPort) }
        eventually("four connections are closed") { handler.openConnections.count == 6 }
        XCTAssertEqual(perLoop(), [0: 1, 1: 5])

        clients += try (0..<4).map { _ in try ReactorTestClient(port: reactor.port) }
        eventually("ten connections are open again") { handler.openConnections.count == 10 }
        XCTAssertEqual(perLoop(), [0: 5, 1: 5])
    }

    func testSeveralFramesInOneWriteAreEchoedInOrder() throws {
        let (reactor, _) = try startEcho()
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port)
        let payloads: [[UInt8]] = [[1], [], [2, 3], Array(repeating: 9, count: 5_000)]

        try client.write(payloads.flatMap(framed))

        for payload in payloads {
            XCTAssertEqual(try client.readFrame(), payload)
        }
    }

    func testAnOversizedPrefixGetsTheErrorFrameAndThenTheConnectionCloses() throws {
        let (reactor, handler) = try startEcho { $0.maxFrameLength = 1_024 }
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port)

        try client.write(framed([7]) + [0, 0, 0x07, 0xD0] + [1, 2, 3])

        XCTAssertEqual(try client.readFrame(), [7])
        XCTAssertEqual(try client.readFrame(), handler.oversizedReply)
        XCTAssertTrue(try client.isClosedByServer())
        eventually("the handler hears of the close") { handler.closedCount == 1 }
        let oversized = handler.events.withLock { $0.contains { event in
            if case .oversized(_, 2_000) = event { true } else { false }
        } }
        XCTAssertTrue(oversized)
    }

    func testAStalledPartialFrameIsClosedAfterTheReadTimeout() throws {
        let (reactor, _) = try startEcho { $0.readTimeout = 100_000_000 }
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port)

        try client.write([0, 0, 0, 10, 1, 2])

        XCTAssertTrue(try client.isClosedByServer())
        XCTAssertEqual(reactor.counters.connectionsTimedOut, 1)
    }

    func testAClientThatNeverReadsIsHeldToTheHighWatermark() throws {
        let high = 64 * 1024
        let (reactor, _) = try startEcho {
            $0.highWatermark = high
            $0.lowWatermark = 16 * 1024
        }
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port, receiveBufferSize: 4_096)
        let frame = framed([UInt8](repeating: 0xAB, count: 16 * 1024))

        var sent = try client.writeUntilServerPauses(frame, reactor: reactor)

        let counters = reactor.counters
        XCTAssertGreaterThan(counters.readPauses, 0)
        XCTAssertLessThanOrEqual(counters.peakUnsentBytes, high + frame.count)
        XCTAssertLessThanOrEqual(counters.unsentBytes, high + frame.count)

        // Finish the frame in progress while reading: the server resumes once the client
        // reads, and every byte comes back.
        let partial = sent.count % frame.count
        let rest = partial == 0 ? [] : Array(frame[partial...])
        sent += rest
        let echoed = try client.exchange(writing: rest, readingBack: sent.count)
        XCTAssertTrue(echoed == sent, "the echo should match what was sent")
    }

    func testAPeerThatTakesNothingForTheWriteTimeoutIsDropped() throws {
        let (reactor, _) = try startEcho {
            $0.highWatermark = 64 * 1024
            $0.lowWatermark = 16 * 1024
            $0.writeTimeout = 100_000_000
        }
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port, receiveBufferSize: 4_096)

        _ = try client.writeUntilServerPauses(framed([UInt8](repeating: 1, count: 16_384)),
                                              reactor: reactor)

        eventually("the stalled connection is dropped") {
            reactor.counters.connectionsOpen == 0
        }
        XCTAssertEqual(reactor.counters.connectionsTimedOut, 1)
    }

    func testAReplyBeyondTheUnsentLimitDropsTheConnection() throws {
        let (reactor, handler) = try startEcho {
            $0.highWatermark = 32 * 1024
            $0.lowWatermark = 8 * 1024
            $0.maxUnsentBytes = 64 * 1024
        }
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port)

        try client.write(framed([UInt8](repeating: 2, count: 100_000)))

        XCTAssertTrue(try client.isClosedByServer())
        eventually("the handler hears of the close") { handler.closedCount == 1 }
        XCTAssertEqual(reactor.counters.bytesSent, 0, "nothing of the refused reply goes out")
    }

    func testExecuteFromAnotherThreadReachesTheConnectionUntilItCloses() throws {
        let (reactor, handler) = try startEcho()
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port)
        eventually("the connection opens") { !handler.openConnections.isEmpty }
        let connection = try XCTUnwrap(handler.openConnections.first)

        let delivered = try onLoop(connection.loop) { connection.send([42]) }
        XCTAssertTrue(delivered)
        XCTAssertEqual(try client.readFrame(), [42])

        Syscall.shutdownWritesOrIgnore(client.fd)
        eventually("the connection closes") { handler.closedCount == 1 }
        let lateDelivery = try onLoop(connection.loop) { connection.send([43]) }
        XCTAssertFalse(lateDelivery, "a send after close must report that it failed")
    }

    func testATimerFiresAndACancelledOneDoesNot() throws {
        let (reactor, _) = try startEcho()
        defer { reactor.shutdown() }
        let loop = reactor.loops[0]
        let fired = Locked<[String]>([])
        let done = try Latch(count: 1)

        loop.schedule(after: 10_000_000) { fired.withLock { $0.append("first") } }
        let cancelled = loop.schedule(after: 20_000_000) {
            fired.withLock { $0.append("cancelled") }
        }
        cancelled.cancel()
        loop.execute {
            // Scheduled from the loop's own thread, and due after the cancelled one.
            loop.schedule(after: 40_000_000) {
                fired.withLock { $0.append("last") }
                done.countDown()
            }
        }
        done.wait()

        XCTAssertEqual(fired.withLock { $0 }, ["first", "last"])
    }

    func testFiveHundredConnectionsAreServedAcrossTheLoops() throws {
        let (reactor, handler) = try startEcho()
        defer { reactor.shutdown() }

        let clients = try (0..<500).map { _ in try ReactorTestClient(port: reactor.port) }
        for (index, client) in clients.enumerated() {
            try client.write(framed(Array("client \(index)".utf8)))
        }
        for (index, client) in clients.enumerated() {
            XCTAssertEqual(try client.readFrame(), Array("client \(index)".utf8))
        }

        // The clients must stay connected until counted: a released client closes.
        withExtendedLifetime(clients) {
            XCTAssertEqual(reactor.counters.connectionsOpen, 500)
            let loopsUsed = Set(handler.openConnections.map(\.id.loopIndex))
            XCTAssertEqual(loopsUsed, [0, 1], "SO_REUSEPORT should use both loops")
        }
    }

    func testConnectionsBeyondTheCapGetTheRefusalFrameAndAreClosed() throws {
        let refusal = Array("too many connections".utf8)
        let (reactor, _) = try startEcho {
            $0.maxConnections = 2
            $0.tooManyConnectionsFrame = refusal
        }
        defer { reactor.shutdown() }
        let first = try ReactorTestClient(port: reactor.port)
        let second = try ReactorTestClient(port: reactor.port)
        eventually("both clients are admitted") { reactor.counters.connectionsOpen == 2 }

        let third = try ReactorTestClient(port: reactor.port)

        XCTAssertEqual(try third.readFrame(), refusal)
        XCTAssertTrue(try third.isClosedByServer())
        XCTAssertEqual(reactor.counters.connectionsRejected, 1)
        try first.write(framed([1]))
        XCTAssertEqual(try first.readFrame(), [1])
        withExtendedLifetime(second) {}
    }

    func testAnIdleConnectionHoldsNoBuffersEvenAfterALargeFrame() throws {
        let (reactor, handler) = try startEcho()
        defer { reactor.shutdown() }
        let client = try ReactorTestClient(port: reactor.port)
        let big = [UInt8](repeating: 3, count: 300_000)

        try client.write(framed(big))
        XCTAssertEqual(try client.readFrame(), big)

        let connection = try XCTUnwrap(handler.openConnections.first)
        let (stash, output, objectSize) = try withExtendedLifetime(client) {
            try onLoop(connection.loop) {
                let address = Unmanaged.passUnretained(connection).toOpaque()
                return (connection.decoder.stashCapacity, connection.output.capacity,
                        malloc_usable_size(address))
            }
        }
        XCTAssertEqual(stash, 0)
        XCTAssertLessThanOrEqual(output, OutboundBuffer.retainedCapacity)
        XCTAssertLessThan(objectSize, 512, "the connection object itself should stay small")
    }
}

extension Syscall {
    /// Half-closes a test client, ignoring failure.
    static func shutdownWritesOrIgnore(_ fd: Int32) {
        try? shutdownWrites(fd)
    }
}
