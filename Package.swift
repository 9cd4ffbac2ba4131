// swift-tools-version:6.0
import PackageDescription

// Colonies in Swift. The C libraries come from Debian (see README.md): each is a
// system-library target, so the package depends on no outside Swift package.

// How `colonies-server` is linked, each flag for the pages an idle server need not hold:
// the Swift runtime and standard library linked in (no libswiftCore.so to map and bind);
// lld, whose packed relative relocations (DT_RELR, glibc 2.36) replace 400 KB of
// relocation records read at every start, which the default gold cannot write; and no
// export of the program's own symbols, which nothing looks up.
let leanLinking = [
    "-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--no-export-dynamic",
]

let package = Package(
    name: "Colonies",
    products: [
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "Client", targets: ["Client"]),
        .executable(name: "colonies", targets: ["colonies"]),
        .executable(name: "colonies-server", targets: ["colonies-server"]),
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
        // The command line's core, shared by both executables: commands, flags, parser, help,
        // runner. No Foundation.
        .target(name: "CLICore"),
        // `server start`, the one definition of the server's flags. No Foundation.
        .target(name: "ServerCommand", dependencies: ["CLICore", "Server", "Wire"]),
        // The command-line tool: server, CLI commands, worker, benchmarks.
        .executableTarget(
            name: "colonies",
            dependencies: [
                "CLICore", "ServerCommand", "Wire", "Store", "Server", "Client", "CSodium",
            ]),
        // The server alone, without Foundation and with the Swift runtime linked in, so that
        // an idle server maps few pages it does not use (BENCHMARKS.md, "Idle memory").
        .executableTarget(
            name: "colonies-server", dependencies: ["CLICore", "ServerCommand"],
            linkerSettings: [.unsafeFlags(leanLinking)]),
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
            name: "CLITests",
            dependencies: ["colonies", "CLICore", "Wire", "Client", "Server", "Store"]),
    ]
)
