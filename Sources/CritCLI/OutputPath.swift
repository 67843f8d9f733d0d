import ArgumentParser
import Foundation

/// Checks of the paths a command will write, made before any work starts, so that a bad path
/// is a one-line error (exit 2) rather than a result lost after the work, and so that nothing
/// but a regular file is ever replaced.
///
/// - A **file** (`--json`, `--csv`, `--html`, `--out` of a report or plot): an existing entry
///   must be a regular file (not a directory, a symbolic link, a device or a pipe); its
///   directory must exist, and a probe opening of the file for writing (without truncating it;
///   a file the probe creates is removed again) must succeed — a permission test alone would
///   pass for root on a read-only place.
/// - A **directory** (`--out` of a run, `--runs`): an existing entry must be a directory (not a
///   symbolic link to one elsewhere is fine: it is followed); otherwise it is created now,
///   with its parents, which proves it writable.
/// - A **name** placed under a directory (`--name`, a sweep's name): one path component —
///   not empty, not `.` or `..`, no `/` — so a run never writes outside its parent.
enum OutputPath {
  static func checkFile(_ path: String, option: String) throws {
    guard !path.isEmpty else { throw ValidationError("\(option): the path is empty") }
    var info = stat()
    if lstat(path, &info) == 0 {
      let kind = info.st_mode & S_IFMT
      guard kind == S_IFREG else {
        throw ValidationError(
          "\(option): \(path) exists and is \(describe(kind)); a regular file is written there (choose another path)"
        )
      }
    } else {
      let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
        isDirectory.boolValue
      else {
        throw ValidationError("\(option): the directory \(directory) of \(path) does not exist")
      }
    }
    let existed = FileManager.default.fileExists(atPath: path)
    let descriptor = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW, 0o644)
    guard descriptor >= 0 else {
      throw ValidationError(
        "\(option): cannot write \(path) (\(String(cString: strerror(errno))))")
    }
    close(descriptor)
    if !existed { unlink(path) }
  }

  static func checkDirectory(_ path: String, option: String) throws {
    guard !path.isEmpty else { throw ValidationError("\(option): the path is empty") }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw ValidationError(
          "\(option): \(path) exists and is not a directory; a directory is written there (choose another path)"
        )
      }
      let probe = "\(path)/.crit-write-probe-\(getpid())"
      let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o644)
      guard descriptor >= 0 else {
        throw ValidationError(
          "\(option): cannot write into \(path) (\(String(cString: strerror(errno))))")
      }
      close(descriptor)
      unlink(probe)
      return
    }
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw ValidationError(
        "\(option): cannot create the directory \(path) (\(underlyingReason(error)))")
    }
  }

  static func checkName(_ name: String, option: String) throws {
    guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0")
    else {
      throw ValidationError(
        "\(option): '\(name)' is not a usable directory name (one path component: not empty, not . or .., no /)"
      )
    }
  }

  static func describe(_ kind: mode_t) -> String {
    switch kind {
    case S_IFDIR: return "a directory"
    case S_IFLNK: return "a symbolic link"
    case S_IFCHR, S_IFBLK: return "a device"
    case S_IFIFO: return "a pipe"
    case S_IFSOCK: return "a socket"
    default: return "not a regular file"
    }
  }

  static func underlyingReason(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      let code = POSIXErrorCode(rawValue: Int32(underlying.code))
    {
      return String(cString: strerror(code.rawValue))
    }
    return nsError.localizedDescription
  }
}
