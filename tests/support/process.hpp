#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace qreg::test {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal when killed by a signal
    std::string out;
    std::string err;
};

// Runs `argv` (argv[0] a path) to completion with no standard input; captures its output.
ProcessResult run_process(const std::vector<std::string>& argv);

// Starts `argv` in the background with output to `log_file` (appended; empty: /dev/null) and
// `env` (`NAME=VALUE`) added to this process's environment; returns its pid.
pid_t start_process(const std::vector<std::string>& argv, const std::string& log_file = {},
                    const std::vector<std::string>& env = {});
// Waits for a started process; returns its exit code (128 + signal when killed).
int wait_process(pid_t pid);

// Writes `bytes` to `path` exactly.
void write_file(const std::string& path, const std::string& bytes);
[[nodiscard]] std::string read_file(const std::string& path);

}  // namespace qreg::test
