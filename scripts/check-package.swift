// Checks that Package.swift declares exactly what each target imports: every module a target's
// files import (from this package or a dependency) is among its dependencies, and every
// dependency is imported by at least one of its files. Run from the package root:
//
//     swift package dump-package | swift scripts/check-package.swift
//
// Exits 1 and names each target and module that disagree. Written by hand because SwiftPM has no
// such check: it accepts a module imported through a transitive dependency, and a declared one
// that nothing imports.

import Foundation

/// Modules of the toolchain and the system, never declared in Package.swift.
let systemModules: Set<String> = [
    "Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Musl", "Darwin", "Synchronization", "Testing",
    "XCTest", "_Concurrency", "Swift",
]

struct Target {
    let name: String
    let folder: String
    let isExecutable: Bool
    let dependencies: [String]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("check-package: \(message)\n".utf8))
    exit(2)
}

let input = FileHandle.standardInput.readDataToEndOfFile()
guard let package = (try? JSONSerialization.jsonObject(with: input)) as? [String: Any],
    let rawTargets = package["targets"] as? [[String: Any]]
else { fail("expected the JSON of `swift package dump-package` on standard input") }

let targets: [Target] = rawTargets.map { raw in
    let name = raw["name"] as? String ?? ""
    let type = raw["type"] as? String ?? ""
    let folder = raw["path"] as? String ?? (type == "test" ? "Tests/\(name)" : "Sources/\(name)")
    let dependencies: [String] = (raw["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
        // A dependency is {"byName": [name, condition]}, {"target": [...]} or {"product": [name, package, ...]}.
        for key in ["byName", "target", "product"] {
            if let parts = dependency[key] as? [Any], let name = parts.first as? String { return name }
        }
        return nil
    }
    return Target(name: name, folder: folder, isExecutable: type == "executable", dependencies: dependencies)
}
let executables = Set(targets.filter(\.isExecutable).map(\.name))

/// The modules imported by the Swift files under `folder` (plain, `@testable` and `@_exported`
/// imports, also inside `#if`), with one file that imports each.
func imports(under folder: String) -> [String: String] {
    var found: [String: String] = [:]
    guard let files = FileManager.default.enumerator(atPath: folder) else { return found }
    let pattern = try! NSRegularExpression(
        pattern:
            #"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#,
        options: .anchorsMatchLines)
    for case let file as String in files where file.hasSuffix(".swift") {
        guard let text = try? String(contentsOfFile: folder + "/" + file, encoding: .utf8) else { continue }
        let range = NSRange(text.startIndex..., in: text)
        for match in pattern.matches(in: text, range: range) {
            if let moduleRange = Range(match.range(at: 1), in: text), found[String(text[moduleRange])] == nil {
                found[String(text[moduleRange])] = folder + "/" + file
            }
        }
    }
    return found
}

var problems: [String] = []
for target in targets where target.folder.hasPrefix("Sources/") || target.folder.hasPrefix("Tests/") {
    if !FileManager.default.fileExists(atPath: target.folder) { continue }
    let imported = imports(under: target.folder)
    let declared = Set(target.dependencies)
    for (module, file) in imported.sorted(by: { $0.key < $1.key })
    where !systemModules.contains(module) && !declared.contains(module) {
        problems.append("\(target.name) imports \(module) (\(file)) but does not declare it")
    }
    // An executable named as a dependency is a build-order dependency (tests that run it), not an import.
    for module in target.dependencies.sorted() where imported[module] == nil && !executables.contains(module) {
        problems.append("\(target.name) declares \(module) but no file of it imports it")
    }
}

if problems.isEmpty {
    print("check-package: every target declares exactly what it imports (\(targets.count) targets)")
} else {
    for problem in problems { print("check-package: \(problem)") }
    exit(1)
}
