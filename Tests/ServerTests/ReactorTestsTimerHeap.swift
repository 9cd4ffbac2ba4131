import XCTest

@testable import Server

final class ReactorTestsTimerHeap: XCTestCase {
    private func drain(_ heap: inout TimerHeap, now: UInt64) -> [UInt64] {
        var order: [UInt64] = []
        while let entry = heap.popDue(now: now) {
            order.append(entry.deadline)
        }
        return order
    }

    func testTimersComeOutInDeadlineOrderAndOnlyWhenDue() {
        var heap = TimerHeap()
        for deadline: UInt64 in [50, 10, 40, 20, 30] {
            heap.insert(deadline: deadline, handle: TimerHandle()) {}
        }

        XCTAssertEqual(drain(&heap, now: 35), [10, 20, 30])
        XCTAssertEqual(heap.nextDeadline, 40)
        XCTAssertEqual(drain(&heap, now: 100), [40, 50])
    }

    func testTimersWithEqualDeadlinesRunInTheOrderScheduled() {
        var heap = TimerHeap()
        let order = Locked<[Int]>([])
        for index in 0..<10 {
            heap.insert(deadline: 5, handle: TimerHandle()) {
                order.withLock { $0.append(index) }
            }
        }

        while let entry = heap.popDue(now: 5) {
            entry.task()
        }

        XCTAssertEqual(order.withLock { $0 }, Array(0..<10))
    }

    func testCancelledTimersAreSkippedAndPurgedWithoutLosingLiveOnes() {
        var heap = TimerHeap()
        var live: [UInt64] = []
        for deadline in UInt64(0)..<5_000 {
            let handle = TimerHandle()
            heap.insert(deadline: deadline, handle: handle) {}
            if deadline % 100 == 0 {
                live.append(deadline)
            } else {
                handle.cancel()
            }
        }

        XCTAssertLessThan(heap.count, 5_000, "cancelled timers should have been purged")
        XCTAssertEqual(drain(&heap, now: .max), live)
    }
}
