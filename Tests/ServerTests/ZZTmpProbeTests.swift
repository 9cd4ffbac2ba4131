import Client
import Wire
import XCTest

final class ZZTmpProbeTests: XCTestCase {
    func testProbeTwoSubscriptions() throws {
        let server = try TestServer()
        let colony = try server.makeColony()
        let runtime = try server.makeRuntime(colony: colony)
        let c = try server.client(readTimeout: 3000)
        let p = try c.submit(echoSpec(colony: colony.id), runtimeKey: runtime)
        _ = try c.subscribe(process: p.id, runtimeKey: runtime)
        print("first subscribed")
        _ = try c.subscribe(colony: colony.id, entering: .successful, runtimeKey: runtime)
        print("second subscribed")
    }
}
