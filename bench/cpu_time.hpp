#pragma once

#include <ctime>

// CPU seconds used so far by the calling thread, for the benchmarks that measure CPU per
// operation without the noise of other threads.
namespace qreg::bench {

inline double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace qreg::bench
