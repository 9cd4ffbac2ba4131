import Client
import Foundation
import Wire
import XCTest

/// Checks `condition` every 50 ms until it holds or `seconds` have passed; returns whether
/// it held. For state the server changes on its own clock (timeouts, maximum waits).
func pollUntil(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
    while clock.now < end {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}

/// Gives the server time to act on what a test cannot ask it about: a waiting assign
/// parked, a connection closed. Used to order such things, never to measure them.
func letTheServerCatchUp() {
    Thread.sleep(forTimeInterval: 0.3)
}

/// A test's own setup did not go as planned.
struct SetupFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension ColoniesClient {
    /// Sends a waiting assign and returns at once; read its answer with `assignment`.
    @discardableResult
    func startAssign(colony: ID, waitSeconds: UInt16, runtimeKey: PrivateKey) throws -> UInt32 {
        try send(.assignProcess(colonyId: colony, waitSeconds: waitSeconds), key: runtimeKey)
    }

    /// The answer to a waiting assign sent with `startAssign`: the process, or nil for none.
    func assignment(file: StaticString = #filePath, line: UInt = #line) throws -> Wire.Process? {
        switch try receive(extraWait: 30_000) {
        case .reply(_, .assignment(let process)):
            return process
        case .error(_, let body):
            throw ClientError.refused(code: body.code, message: body.message.string)
        case let other:
            XCTFail("expected an assignment, got \(other)", file: file, line: line)
            return nil
        }
    }

    /// The answer to a waiting assign, waiting no longer than the client's read timeout.
    func assignmentWithinReadTimeout() throws -> Wire.Process? {
        guard case .reply(_, .assignment(let process)) = try receive() else {
            throw ClientError.unexpectedReply(.assignProcess)
        }
        return process
    }
}
