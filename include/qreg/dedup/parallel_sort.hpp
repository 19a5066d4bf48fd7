#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <thread>
#include <vector>

namespace qreg::dedup {

// std::sort on up to `threads` cores: equal slices sorted side by side, then merged. For the
// tens of millions of block entries and match index rows a full matching sorts; small ranges
// are sorted in the calling thread.
template <std::random_access_iterator It, class Less>
void parallel_sort(It first, It last, Less less, unsigned threads = std::thread::hardware_concurrency()) {
    const auto n = static_cast<std::size_t>(last - first);
    constexpr std::size_t min_slice = std::size_t{1} << 16;
    std::size_t slices = std::min<std::size_t>(std::max(1u, threads), n / min_slice);
    if (slices < 2) {
        std::sort(first, last, less);
        return;
    }
    std::vector<It> bounds;
    for (std::size_t s = 0; s <= slices; ++s)
        bounds.push_back(first + static_cast<std::ptrdiff_t>(n * s / slices));
    {
        std::vector<std::jthread> workers;
        for (std::size_t s = 1; s < slices; ++s) {
            workers.emplace_back([&, s] { std::sort(bounds[s], bounds[s + 1], less); });
        }
        std::sort(bounds[0], bounds[1], less);
    }
    // Merge neighbouring slices, doubling their width each round.
    for (std::size_t width = 1; width < slices; width *= 2) {
        for (std::size_t s = 0; s + width < slices; s += 2 * width) {
            std::inplace_merge(bounds[s], bounds[s + width], bounds[std::min(s + 2 * width, slices)], less);
        }
    }
}

}  // namespace qreg::dedup
