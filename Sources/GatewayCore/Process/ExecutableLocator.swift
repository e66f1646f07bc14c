import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the program a command names: a path is used as given, a bare name is looked up on a `PATH`.
public enum ExecutableLocator {
    /// The absolute path of `executable`.
    ///
    /// - Parameters:
    ///   - executable: A path (anything containing `/`) or a bare program name.
    ///   - environment: The environment whose `PATH` is searched for a bare name.
    /// - Returns: The absolute path of an executable regular file.
    /// - Throws: ``ProcessError`` with code ``ProcessError/Code/executableNotFound`` or
    ///   ``ProcessError/Code/notExecutable``.
    public static func resolve(_ executable: String, environment: ProcessEnvironment) throws -> String {
        if executable.contains("/") {
            let absolute =
                executable.hasPrefix("/")
                ? executable
                : FileManager.default.currentDirectoryPath + "/" + executable
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
                throw ProcessError(.executableNotFound, "cannot start \(executable): no such file")
            }
            guard !isDirectory.boolValue, access(absolute, X_OK) == 0 else {
                throw ProcessError(
                    .notExecutable,
                    "cannot start \(executable): not an executable file (check its permissions, e.g. chmod +x)"
                )
            }
            return absolute
        }
        if let found = search(executable, path: environment["PATH"]) {
            return found
        }
        throw ProcessError(
            .executableNotFound,
            "cannot start \(executable): not found on PATH (\(environment["PATH"] ?? "PATH is not set"))"
        )
    }

    /// The first executable regular file called `name` in the directories of `path`, or `nil`.
    public static func search(_ name: String, path: String?) -> String? {
        guard !name.isEmpty, !name.contains("/"), let path else { return nil }
        for directory in path.split(separator: ":", omittingEmptySubsequences: true) where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(name)"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                access(candidate, X_OK) == 0
            {
                return candidate
            }
        }
        return nil
    }
}
