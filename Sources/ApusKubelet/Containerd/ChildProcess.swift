import Foundation

/// A child process the supervisor starts and reaps itself: posix_spawn, and a blocking
/// `waitpid` on a thread of its own. Foundation's `Process` was not used for containerd because
/// its exit notification did not arrive in `apus server` (containerd stayed a zombie and
/// shutdown hung); a waitpid on the child's own pid does not depend on signal handling.
enum ChildProcess {
    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `path` with `arguments`, stdin from /dev/null and stdout and stderr appended to `logFile`.
    static func spawn(_ path: String, _ arguments: [String], logFile: String) throws(SpawnError) -> pid_t {
        let log = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw SpawnError(description: "cannot open \(logFile): \(String(cString: strerror(errno)))") }
        defer { close(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard result == 0 else { throw SpawnError(description: "cannot start \(path): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Waits for the child to exit and reaps it; returns its exit status (128 + signal when killed).
    static func waitForExit(_ pid: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
            thread.name = "waitpid-\(pid)"
            thread.start()
        }
    }
}
