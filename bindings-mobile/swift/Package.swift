// swift-tools-version:5.9
// SwiftPM package wrapping the generated Swift bindings of tsunagu and the Rust library.
// The generated `tsunagu_mobile.swift` and `tsunagu_mobileFFI.h` are copied in by test.sh
// (from bindings-mobile/out/swift); the library is found through -L / LD_LIBRARY_PATH.
import PackageDescription

let package = Package(
    name: "TsunaguMobile",
    products: [.library(name: "TsunaguMobile", targets: ["TsunaguMobile"])],
    targets: [
        .systemLibrary(name: "tsunagu_mobileFFI", path: "Sources/tsunagu_mobileFFI"),
        .target(name: "TsunaguMobile", dependencies: ["tsunagu_mobileFFI"]),
        .testTarget(name: "TsunaguMobileTests", dependencies: ["TsunaguMobile"]),
    ]
)
