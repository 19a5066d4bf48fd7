#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace qreg::dedup {

// Runs fn(begin, end, worker) over [0, n) split into up to `threads` contiguous parts of at least
// `min_part` items (fewer items: one part), part 0 in the calling thread, the others each in a
// thread of its own. `worker` (0, 1, ...) lets fn keep per-thread results.
template <class Fn>
void parallel_for(std::size_t n, unsigned threads, Fn&& fn, std::size_t min_part = 1000) {
    const std::size_t most = n / std::max<std::size_t>(1, min_part);
    const auto parts = static_cast<unsigned>(std::clamp<std::size_t>(most, 1, std::max(1u, threads)));
    const std::size_t step = (n + parts - 1) / parts;
    std::vector<std::jthread> workers;
    for (unsigned t = 1; t < parts; ++t) {
        const std::size_t begin = std::min(n, t * step), end = std::min(n, begin + step);
        workers.emplace_back([&fn, begin, end, t] { fn(begin, end, t); });
    }
    fn(0, std::min(n, step), 0u);
}

}  // namespace qreg::dedup
