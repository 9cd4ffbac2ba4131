// swift-tools-version:6.0
import PackageDescription

// Colonies in Swift. The C libraries come from Debian (see README.md): each is a
// system-library target, so the package depends on no outside Swift package.
let package = Package(
    name: "Colonies",
    products: [
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "Client", targets: ["Client"]),
        .executable(name: "colonies", targets: ["colonies"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSecp256k1", path: "Sources/CSecp256k1", pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(
            name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CLMDB", path: "Sources/CLMDB", pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(
            name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),
        // Linux calls the Glibc module map leaves out: epoll, eventfd, thread names.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),

        // The protocol: identity, frames, canonical codec, messages. No Foundation.
        .target(name: "Wire", dependencies: ["CSecp256k1", "CLibCrypto", "CSodium"]),
        // The LMDB store: records, indexes, queries, group commit.
        .target(name: "Store", dependencies: ["Wire", "CLMDB"]),
        // The epoll reactor, request handlers and the scheduler.
        .target(name: "Server", dependencies: ["Wire", "Store", "CLinux"]),
        // The blocking client a small device can embed. No Foundation.
        .target(name: "Client", dependencies: ["Wire"]),
        // The command-line tool: server, CLI commands, worker, benchmarks.
        .executableTarget(
            name: "colonies", dependencies: ["Wire", "Store", "Server", "Client", "CSodium"]),
        // The store's benchmark and the writer its crash test kills (not a timed test).
        .executableTarget(
            name: "store-bench", dependencies: ["Store", "Wire"], path: "Sources/StoreBench"),

        // Counts heap allocations in tests by replacing the malloc family (C, tests only).
        .target(name: "AllocCounter", path: "Tests/AllocCounter"),
        .testTarget(
            name: "WireTests", dependencies: ["Wire", "AllocCounter"],
            resources: [.copy("Resources")]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Wire"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Store", "Wire", "Client"]),
        .testTarget(name: "ClientTests", dependencies: ["Client", "Wire"]),
        .testTarget(
            name: "CLITests", dependencies: ["colonies", "Wire", "Client", "Server", "Store"]),
    ]
)
