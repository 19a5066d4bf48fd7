#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <string_view>

#include "cli/commands.hpp"
#include "qreg/error.hpp"

namespace {

// The glibc tunable `qreg serve` runs with (bench/RESULTS.md, issue 5).
constexpr const char* serve_malloc_tunables = "glibc.malloc.tcache_count=2000";

// A profile request makes and frees a few thousand small objects on each worker thread. glibc
// keeps 7 freed chunks of a size per thread (its tcache) and takes the rest through its shared
// bins, which cost the server about a tenth of its CPU; with 2,000 they stay in the thread's
// cache. The size is read from GLIBC_TUNABLES at start-up only, so `serve` executes itself
// once more with it set. A GLIBC_TUNABLES already set (an operator's choice) is left alone, and
// if the re-execution fails the server runs with glibc's defaults.
void tune_malloc_for_serve(int argc, char** argv) {
    bool serve = false;
    for (int i = 1; i < argc; ++i) serve = serve || std::string_view(argv[i]) == "serve";
    if (!serve || std::getenv("GLIBC_TUNABLES") != nullptr) return;
    if (::setenv("GLIBC_TUNABLES", serve_malloc_tunables, 0) != 0) return;
    ::execv("/proc/self/exe", argv);
    ::unsetenv("GLIBC_TUNABLES");
}

}  // namespace

int main(int argc, char** argv) {
    tune_malloc_for_serve(argc, argv);
    try {
        return qreg::registry::cli::run(argc, argv);
    } catch (const qreg::Error& e) {
        fmt::print(stderr, "qreg: {}\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "qreg: internal error: {}\n", e.what());
        return 70;
    }
}
