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

/// Gives a request the server answers later (a waiting assign) time to arrive and park.
/// The tests that use it would still pass if it were too short only by luck in their
/// favour, never against them, except where noted.
func letTheServerCatchUp() {
    Thread.sleep(forTimeInterval: 0.3)
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
