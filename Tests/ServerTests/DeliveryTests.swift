import Client
import Wire
import XCTest

/// Who gets work that arrives while runtimes wait, and what subscribers hear. Waiting
/// assigns are sent without blocking and answered later, each on its own connection.
final class DeliveryTests: XCTestCase {
    private var server: TestServer!
    private var colony: PrivateKey!
    private var submitter: ColoniesClient!
    private var submitterKey: PrivateKey!

    override func setUpWithError() throws {
        server = try TestServer()
        colony = try server.makeColony()
        submitterKey = try server.makeRuntime(colony: colony)
        submitter = try server.client()
    }

    override func tearDown() {
        submitter = nil
        server = nil
    }

    /// Submits as the colony's `worker` runtime, which never asks for work itself: the
    /// specs below ask for other runtime types anyway.
    private func submit(_ spec: ProcessSpec) throws -> Wire.Process {
        try submitter.submit(spec, runtimeKey: submitterKey)
    }

    func testAWaiterWhoseConnectionClosesIsDroppedSoTheNextWaiterGetsTheWork() throws {
        let gone = try server.makeRuntime(colony: colony, type: "gpu")
        let staying = try server.makeRuntime(colony: colony, type: "gpu")
        var first: ColoniesClient? = try server.client()
        let second = try server.client()
        try first?.startAssign(colony: colony.id, waitSeconds: 30, runtimeKey: gone)
        letTheServerCatchUp()
        try second.startAssign(colony: colony.id, waitSeconds: 30, runtimeKey: staying)
        letTheServerCatchUp()

        first = nil
        // The server cannot be asked whether it has seen the close; give it ample time.
        // Work handed to a waiter it still thought open would come back as attempt 2.
        letTheServerCatchUp()
        letTheServerCatchUp()
        let submitted = try submit(echoSpec(colony: colony.id, type: "gpu"))

        let taken = try XCTUnwrap(try second.assignment())
        XCTAssertEqual(taken.id, submitted.id)
        XCTAssertEqual(taken.assignedRuntime, staying.id)
        XCTAssertEqual(taken.attempt, 1, "it was first given to the closed connection")
    }

    func testAWaitingAssignOfOneColonyIsNotWokenByASubmitToAnother() throws {
        let other = try server.makeColony(name: "other")
        let otherRuntime = try server.makeRuntime(colony: other)
        let waiting = try server.makeRuntime(colony: colony, type: "gpu")
        let waiter = try server.client()
        try waiter.startAssign(colony: colony.id, waitSeconds: 2, runtimeKey: waiting)
        letTheServerCatchUp()

        let elsewhere = try server.client().submit(
            echoSpec(colony: other.id), runtimeKey: otherRuntime)

        XCTAssertNil(try waiter.assignment())
        let stillWaiting = try server.client().getProcess(elsewhere.id, runtimeKey: otherRuntime)
        XCTAssertEqual(stillWaiting.process.state, .waiting)
    }

    func testAWaiterThatDoesNotMeetTheConditionsIsNotWokenWhileAMatchingOneIs() throws {
        let small = try server.makeRuntime(colony: colony, type: "cpu", mem: 512)
        let large = try server.makeRuntime(colony: colony, type: "gpu", mem: 8192)
        let smallClient = try server.client()
        let largeClient = try server.client()
        try smallClient.startAssign(colony: colony.id, waitSeconds: 2, runtimeKey: small)
        letTheServerCatchUp()
        try largeClient.startAssign(colony: colony.id, waitSeconds: 30, runtimeKey: large)
        letTheServerCatchUp()

        // Too little memory for the small one, the wrong type for the large one.
        let nobodys = try submit(echoSpec(colony: colony.id, type: "cpu", mem: 4096))
        // The wrong type for the small one, though it waited longest.
        let larges = try submit(echoSpec(colony: colony.id, type: "gpu", mem: 4096))

        XCTAssertEqual(try largeClient.assignment()?.id, larges.id)
        XCTAssertNil(try smallClient.assignment())
        XCTAssertEqual(
            try submitter.getProcess(nobodys.id, runtimeKey: submitterKey).process.state,
            .waiting)
    }

    func testTheLongestWaitingMatchingRuntimeGetsTheWork() throws {
        let runtimes = try (0..<3).map { _ in try server.makeRuntime(colony: colony, type: "gpu") }
        let clients = try runtimes.map { _ in try server.client() }
        for (client, key) in zip(clients, runtimes) {
            try client.startAssign(colony: colony.id, waitSeconds: 30, runtimeKey: key)
            letTheServerCatchUp()
        }

        for (client, key) in zip(clients, runtimes) {
            let submitted = try submit(echoSpec(colony: colony.id, type: "gpu"))
            let taken = try XCTUnwrap(try client.assignment())
            XCTAssertEqual(taken.id, submitted.id)
            XCTAssertEqual(taken.assignedRuntime, key.id)
        }
    }

    /// A submit hands its process to a parked runtime in its own commit (`Handoff`); those
    /// watching the colony still hear the process wait, then run, in that order.
    func testAProcessHandedToAWaiterIsHeardWaitingThenRunning() throws {
        let worker = try server.makeRuntime(colony: colony, type: "gpu")
        let workerClient = try server.client()
        let watcher = try server.client()
        let waitingEvents = try watcher.subscribe(
            colony: colony.id, entering: .waiting, runtimeKey: submitterKey)
        let runningEvents = try watcher.subscribe(
            colony: colony.id, entering: .running, runtimeKey: submitterKey)
        try workerClient.startAssign(colony: colony.id, waitSeconds: 30, runtimeKey: worker)
        letTheServerCatchUp()

        let submitted = try submit(echoSpec(colony: colony.id, type: "gpu"))
        let taken = try XCTUnwrap(try workerClient.assignment())
        XCTAssertEqual(taken.id, submitted.id)
        XCTAssertEqual(taken.attempt, 1)

        let first = try watcher.nextEvent(timeout: 5000)
        let second = try watcher.nextEvent(timeout: 5000)
        XCTAssertEqual(first.subscription, waitingEvents)
        XCTAssertEqual(first.1.state, .waiting)
        XCTAssertEqual(second.subscription, runningEvents)
        XCTAssertEqual(second.1.state, .running)
        XCTAssertEqual(second.1.assignedRuntime, worker.id)
        XCTAssertEqual([first.1.id, second.1.id], [submitted.id, submitted.id])
    }

    /// Submits that arrive together, and so commit together, each wake a different runtime.
    func testConcurrentSubmitsWakeDistinctWaitersAndLoseNothing() throws {
        let count = 6
        let runtimes = try (0..<count).map { _ in
            try server.makeRuntime(colony: colony, type: "gpu")
        }
        let clients = try runtimes.map { _ in try server.client() }
        for (client, key) in zip(clients, runtimes) {
            try client.startAssign(colony: colony.id, waitSeconds: 30, runtimeKey: key)
        }
        letTheServerCatchUp()

        // Pipelined: every submit is in flight before the first reply, so they share commits.
        for _ in 0..<count {
            try submitter.send(
                .submitProcess(echoSpec(colony: colony.id, type: "gpu")), key: submitterKey)
        }
        var submitted: [ID] = []
        for _ in 0..<count {
            guard case .reply(_, .process(let p)) = try submitter.receive() else {
                return XCTFail("a submit was not answered with its process")
            }
            submitted.append(p.id)
        }

        var taken: [ID: ID] = [:]
        for (client, key) in zip(clients, runtimes) {
            let process = try XCTUnwrap(try client.assignment())
            XCTAssertEqual(process.assignedRuntime, key.id)
            XCTAssertNil(taken.updateValue(key.id, forKey: process.id), "given twice")
        }
        XCTAssertEqual(Set(taken.keys), Set(submitted))
    }

    func testSubscribingToAProcessGivesItsStateAtOnceThenEachChangeInOrder() throws {
        let worker = try server.makeRuntime(colony: colony, type: "gpu")
        let submitted = try submit(echoSpec(colony: colony.id, type: "gpu"))
        let watcher = try server.client()
        let subscription = try watcher.subscribe(process: submitted.id, runtimeKey: submitterKey)

        let now = try watcher.nextEvent(timeout: 5000)
        XCTAssertEqual(now.subscription, subscription)
        XCTAssertEqual(now.1.id, submitted.id)
        XCTAssertEqual(now.1.state, .waiting)

        let workerClient = try server.client()
        let taken = try XCTUnwrap(try workerClient.assign(colony: colony.id, runtimeKey: worker))
        try workerClient.closeSuccessful(taken.id, attempt: taken.attempt, runtimeKey: worker)

        let running = try watcher.nextEvent(timeout: 5000)
        let successful = try watcher.nextEvent(timeout: 5000)
        XCTAssertEqual([running.1.state, successful.1.state], [.running, .successful])
        XCTAssertEqual(running.1.assignedRuntime, worker.id)
        XCTAssertEqual(successful.1.id, submitted.id)
        XCTAssertEqual(successful.subscription, subscription)
    }

    func testAColonySubscriptionForSuccessGetsAnEventOnlyWhenAProcessSucceeds() throws {
        let worker = try server.makeRuntime(colony: colony, type: "gpu")
        let watcher = try server.client()
        let subscription = try watcher.subscribe(
            colony: colony.id, entering: .successful, runtimeKey: submitterKey)

        let failing = try submit(echoSpec(colony: colony.id, priority: 1, type: "gpu"))
        let succeeding = try submit(echoSpec(colony: colony.id, type: "gpu"))
        let workerClient = try server.client()
        let first = try XCTUnwrap(try workerClient.assign(colony: colony.id, runtimeKey: worker))
        XCTAssertEqual(first.id, failing.id)
        try workerClient.closeFailed(first.id, attempt: first.attempt, runtimeKey: worker)
        let second = try XCTUnwrap(try workerClient.assign(colony: colony.id, runtimeKey: worker))
        try workerClient.closeSuccessful(second.id, attempt: second.attempt, runtimeKey: worker)

        // Events come in commit order: had the failure or any waiting or running change
        // been sent, it would come first.
        let event = try watcher.nextEvent(timeout: 5000)
        XCTAssertEqual(event.subscription, subscription)
        XCTAssertEqual(event.1.id, succeeding.id)
        XCTAssertEqual(event.1.state, .successful)
    }

    func testTwoSubscriptionsOnOneConnectionEachGetTheirEvents() throws {
        let watcher = try server.client()
        let submitted = try submit(echoSpec(colony: colony.id, type: "gpu"))
        let byProcess = try watcher.subscribe(process: submitted.id, runtimeKey: submitterKey)
        let byColony = try watcher.subscribe(
            colony: colony.id, entering: .waiting, runtimeKey: submitterKey)
        _ = try submit(echoSpec(colony: colony.id, type: "gpu"))

        let events = try (0..<2).map { _ in try watcher.nextEvent(timeout: 5000).subscription }
        XCTAssertEqual(Set(events), [byProcess, byColony])
    }

    func testAWaitingAssignOfARuntimeThatIsRejectedIsAnsweredAtOnce() throws {
        let rejected = try server.makeRuntime(colony: colony, type: "gpu")
        let waiter = try server.client(readTimeout: 5000)
        try waiter.startAssign(colony: colony.id, waitSeconds: 60, runtimeKey: rejected)
        letTheServerCatchUp()

        _ = try server.client().rejectRuntime(rejected.id, colonyKey: colony)

        // Well before its 60 s wait ends (the client's read timeout is 5 s).
        XCTAssertNil(try waiter.assignmentWithinReadTimeout())
        _ = try submit(echoSpec(colony: colony.id, type: "gpu"))
        XCTAssertEqual(
            refusalCode { _ = try waiter.assign(colony: self.colony.id, runtimeKey: rejected) },
            .runtimeNotApproved)
    }

    func testAWaitingAssignOfARuntimeThatIsRemovedIsAnsweredAtOnce() throws {
        let removed = try server.makeRuntime(colony: colony, type: "gpu")
        let waiter = try server.client(readTimeout: 5000)
        try waiter.startAssign(colony: colony.id, waitSeconds: 60, runtimeKey: removed)
        letTheServerCatchUp()

        try server.client().removeRuntime(removed.id, colonyKey: colony)

        XCTAssertNil(try waiter.assignmentWithinReadTimeout())
    }
}
