// swift-tools-version:6.1
// GovMail: module map and dependency arrows follow ../shared/DESIGN.md.
// A module imports only what its line below names; pure logic never sees a socket.
import PackageDescription

// MemberImportVisibility: a file sees only the members of modules it imports itself, so every
// import is declared where it is used (docs/ARCHITECTURE.md, checked by scripts/check-imports).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility"),
]
// MaildirStore and IMAPProtocol are being changed on other branches (issue 13 §3 comes later);
// they get MemberImportVisibility with that pass.
let strictExceptImports: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "GovMail",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "govmail", targets: ["govmail"]),
        .executable(name: "govmail-bench", targets: ["GovMailBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // System libraries (apt providers so `swift build` says what to install).
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CCrypt", path: "Sources/CCrypt", pkgConfig: "libcrypt",
            providers: [.apt(["libcrypt-dev"])]),

        // Pure value types and protocol logic.
        .target(name: "MailCore", swiftSettings: strict),
        .target(name: "MessageFormat", dependencies: ["MailCore"], swiftSettings: strict),
        .target(name: "SMTPProtocol", dependencies: ["MailCore"], swiftSettings: strict),
        .target(name: "IMAPProtocol", dependencies: ["MailCore", "MessageFormat"], swiftSettings: strictExceptImports),
        .target(name: "SieveProtocol", dependencies: ["MailCore", "MessageFormat"], swiftSettings: strict),
        .target(name: "HTTPProtocol", dependencies: ["MailCore"], swiftSettings: strict),

        // Storage and identity.
        .target(name: "MaildirStore", dependencies: ["MailCore", "MessageFormat"], swiftSettings: strictExceptImports),
        .target(name: "Credentials", dependencies: ["MailCore", "COpenSSL", "CCrypt"], swiftSettings: strict),
        .target(
            name: "SMIMEVerification", dependencies: ["MailCore", "MessageFormat", "COpenSSL"], swiftSettings: strict),
        .target(
            name: "AccountStore",
            dependencies: ["MailCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "Provisioning",
            dependencies: ["MailCore", "AccountStore", "MaildirStore", "Credentials"],
            swiftSettings: strict),
        .target(name: "UsageAnalytics", dependencies: ["MailCore", "AccountStore"], swiftSettings: strict),

        // Network.
        .target(name: "TLSEngine", dependencies: ["MailCore", "COpenSSL"], swiftSettings: strict),
        .target(
            name: "NetServer",
            dependencies: ["MailCore", "TLSEngine", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),

        // Composition.
        .target(
            name: "GovMailConfig", dependencies: ["MailCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        // The relay queue and its runner: spool, smarthost client, retries, bounces (`govmail queue` and the server).
        .target(
            name: "Relay",
            dependencies: [
                "MailCore", "SMTPProtocol", "MaildirStore", "AccountStore", "GovMailConfig", "TLSEngine", "NetServer",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "GovMailServer",
            dependencies: [
                "MailCore", "MessageFormat", "SMTPProtocol", "IMAPProtocol", "SieveProtocol", "MaildirStore",
                "Credentials", "AccountStore", "TLSEngine", "NetServer", "GovMailConfig", "HTTPProtocol", "Relay",
                "SMIMEVerification",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .target(
            name: "GovMailCLI",
            dependencies: [
                "MailCore", "MessageFormat", "GovMailConfig", "GovMailServer", "MaildirStore", "AccountStore",
                "Credentials", "Provisioning", "UsageAnalytics", "TLSEngine", "SieveProtocol", "SMTPProtocol", "Relay",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "govmail",
            dependencies: ["GovMailCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .executableTarget(
            name: "GovMailBench",
            dependencies: [
                "MailCore", "MaildirStore", "AccountStore", "Credentials", "Provisioning",
                "UsageAnalytics", "MessageFormat", "IMAPProtocol",
            ],
            swiftSettings: strict),

        // libFuzzer driver for the pure parsers (scripts/fuzz NAME SECONDS).
        .executableTarget(
            name: "GovMailFuzz",
            dependencies: [
                "SMTPProtocol", "IMAPProtocol", "MessageFormat", "SieveProtocol", "HTTPProtocol", "Provisioning",
                "GovMailConfig",
            ],
            swiftSettings: strict),

        // Test support and tests (Tests/<Module>Tests mirror Sources).
        .target(
            name: "GovMailTestSupport", dependencies: ["MailCore"], path: "Tests/GovMailTestSupport",
            swiftSettings: strict),
        // Runs the IMAP transcripts of Tests/transcripts/imap against the fake and the Maildir store.
        .target(
            name: "IMAPTranscriptSupport", dependencies: ["IMAPProtocol", "MailCore", "GovMailTestSupport"],
            path: "Tests/IMAPTranscriptSupport"),
        .testTarget(name: "MailCoreTests", dependencies: ["MailCore", "GovMailTestSupport"]),
        .testTarget(
            name: "MessageFormatTests", dependencies: ["MessageFormat", "GovMailTestSupport"],
            exclude: ["FuzzSeeds"]),
        .testTarget(
            name: "SMTPProtocolTests", dependencies: ["SMTPProtocol", "GovMailTestSupport"],
            exclude: ["Transcripts", "FuzzSeeds"]),
        .testTarget(
            name: "IMAPProtocolTests", dependencies: ["IMAPProtocol", "GovMailTestSupport", "IMAPTranscriptSupport"],
            exclude: ["FuzzSeeds"]),
        .testTarget(
            name: "SieveProtocolTests", dependencies: ["SieveProtocol", "GovMailTestSupport"], exclude: ["FuzzSeeds"]),
        .testTarget(
            name: "HTTPProtocolTests", dependencies: ["HTTPProtocol", "GovMailTestSupport"], exclude: ["FuzzSeeds"]),
        .testTarget(name: "MaildirStoreTests", dependencies: ["MaildirStore", "GovMailTestSupport"]),
        .testTarget(name: "CredentialsTests", dependencies: ["Credentials", "GovMailTestSupport"]),
        .testTarget(
            name: "SMIMEVerificationTests", dependencies: ["SMIMEVerification", "MessageFormat", "GovMailTestSupport"]),
        .testTarget(name: "AccountStoreTests", dependencies: ["AccountStore", "GovMailTestSupport"]),
        .testTarget(
            name: "ProvisioningTests", dependencies: ["Provisioning", "GovMailTestSupport"], exclude: ["FuzzSeeds"]),
        .testTarget(name: "UsageAnalyticsTests", dependencies: ["UsageAnalytics", "GovMailTestSupport"]),
        .testTarget(name: "TLSEngineTests", dependencies: ["TLSEngine", "GovMailTestSupport"]),
        .testTarget(name: "NetServerTests", dependencies: ["NetServer", "TLSEngine", "GovMailTestSupport"]),
        .testTarget(
            name: "GovMailConfigTests",
            dependencies: ["GovMailConfig", "GovMailTestSupport", .product(name: "Yams", package: "Yams")],
            exclude: ["FuzzSeeds"]),
        .testTarget(
            name: "GovMailServerTests",
            dependencies: ["GovMailServer", "Relay", "GovMailTestSupport", "IMAPTranscriptSupport"]),
        .testTarget(name: "GovMailCLITests", dependencies: ["GovMailCLI", "Relay", "GovMailTestSupport"]),
    ]
)
