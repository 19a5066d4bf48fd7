#include "qreg/dedup/block.hpp"

#include <algorithm>

namespace qreg::dedup {

namespace {

struct Entry {
    std::uint64_t key;
    std::uint64_t refine;
    std::uint32_t record;
    std::uint32_t max_block;  // 0: the default
};

std::uint64_t pair_of(std::uint32_t a, std::uint32_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<std::uint64_t>(a) << 32) | b;
}

std::vector<Entry> sorted_entries(std::span<const std::vector<BlockKey>> keys) {
    std::vector<Entry> entries;
    std::size_t total = 0;
    for (const auto& k : keys) total += k.size();
    entries.reserve(total);
    for (std::uint32_t r = 0; r < keys.size(); ++r) {
        for (const auto& k : keys[r]) {
            if (k.key != 0) entries.push_back({k.key, k.refine, r, k.max_block});
        }
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
        if (x.key != y.key) return x.key < y.key;
        if (x.refine != y.refine) return x.refine < y.refine;
        return x.record < y.record;
    });
    return entries;
}

// Calls emit(a, b) for every pair the blocks of `entries` (sorted) make: a block of at most
// `max_block` records whole, a larger one per part of equal finer key, a part still larger as
// a window of `max_block` neighbours. A record that appears twice in a block is not paired
// with itself; a pair may come from several blocks.
template <class Emit>
void for_each_block_pair(std::span<const Entry> entries, std::size_t default_max_block,
                         BlockingStats& stats, Emit&& emit) {
    const auto all_pairs = [&](std::span<const Entry> group, std::size_t window) {
        for (std::size_t i = 0; i < group.size(); ++i) {
            for (std::size_t j = i + 1; j < group.size() && j - i <= window; ++j) {
                if (group[i].record != group[j].record) emit(group[i].record, group[j].record);
            }
        }
    };
    std::size_t i = 0;
    while (i < entries.size()) {
        std::size_t j = i;
        while (j < entries.size() && entries[j].key == entries[i].key) ++j;
        const auto block = entries.subspan(i, j - i);
        const std::size_t max_block = block.front().max_block != 0 ? block.front().max_block : default_max_block;
        ++stats.blocks;
        stats.largest_block = std::max(stats.largest_block, block.size());
        if (block.size() <= max_block) {
            all_pairs(block, block.size());
        } else {
            ++stats.refined_blocks;
            std::size_t s = 0;
            while (s < block.size()) {
                std::size_t e = s;
                while (e < block.size() && block[e].refine == block[s].refine) ++e;
                const auto part = block.subspan(s, e - s);
                if (part.size() > max_block) ++stats.windowed_blocks;
                all_pairs(part, max_block);
                s = e;
            }
        }
        i = j;
    }
}

void sort_unique(std::vector<std::uint64_t>& pairs) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
}

}  // namespace

std::uint64_t hash_text(std::uint64_t seed, const char* data, std::size_t size) {
    std::uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
    for (std::size_t i = 0; i < size; ++i) {
        h ^= static_cast<unsigned char>(data[i]);
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h == 0 ? 1 : h;
}

CandidatePairs candidate_pairs(std::span<const std::vector<BlockKey>> keys, std::size_t max_block) {
    const auto entries = sorted_entries(keys);
    // Hundreds of millions of pairs (many made by several blocks) for a large registry: they are
    // put in buckets by their first record (a counting pass, then a placing pass), and each
    // small bucket is sorted on its own, instead of one sort of them all.
    CandidatePairs out;
    std::vector<std::size_t> start(keys.size() + 1, 0);
    BlockingStats counting;
    for_each_block_pair(entries, max_block, counting,
                        [&](std::uint32_t a, std::uint32_t b) { ++start[std::min(a, b) + 1]; });
    for (std::size_t r = 0; r < keys.size(); ++r) start[r + 1] += start[r];
    std::vector<std::uint32_t> second(start.back());
    auto next = start;
    for_each_block_pair(entries, max_block, out.stats, [&](std::uint32_t a, std::uint32_t b) {
        if (a > b) std::swap(a, b);
        second[next[a]++] = b;
    });
    std::size_t total = 0;
    for (std::size_t r = 0; r < keys.size(); ++r) {
        auto* first = second.data() + start[r];
        auto* last = second.data() + start[r + 1];
        std::sort(first, last);
        const auto* end = std::unique(first, last);
        total += static_cast<std::size_t>(end - first);
        next[r] = static_cast<std::size_t>(end - second.data());
    }
    out.pairs.reserve(total);
    for (std::size_t r = 0; r < keys.size(); ++r) {
        for (std::size_t i = start[r]; i < next[r]; ++i) out.pairs.push_back(pair_of(static_cast<std::uint32_t>(r), second[i]));
    }
    out.stats.candidate_pairs = out.pairs.size();
    return out;
}

CandidatePairs sampled_candidate_pairs(std::span<const std::vector<BlockKey>> keys, std::size_t max_block,
                                       std::size_t max_pairs) {
    const auto entries = sorted_entries(keys);
    CandidatePairs out;
    std::size_t made = 0;
    BlockingStats counting;
    for_each_block_pair(entries, max_block, counting, [&](std::uint32_t, std::uint32_t) { ++made; });
    out.stats.pairs_made = made;
    if (made <= max_pairs) {
        out.pairs.reserve(made);
        for_each_block_pair(entries, max_block, out.stats,
                            [&](std::uint32_t a, std::uint32_t b) { out.pairs.push_back(pair_of(a, b)); });
    } else {
        // A pair is kept when its hash falls below the share wanted: every occurrence of a pair
        // decides alike, and which pairs are kept does not depend on the order of the blocks.
        const auto limit = static_cast<std::uint64_t>(static_cast<double>(max_pairs) /
                                                      static_cast<double>(made) * 18446744073709551615.0);
        out.pairs.reserve(max_pairs + max_pairs / 8);
        for_each_block_pair(entries, max_block, out.stats, [&](std::uint32_t a, std::uint32_t b) {
            const auto pair = pair_of(a, b);
            std::uint64_t h = pair * 0x9E3779B97F4A7C15ull;
            h ^= h >> 29;
            h *= 0xBF58476D1CE4E5B9ull;
            h ^= h >> 32;
            if (h < limit) out.pairs.push_back(pair);
        });
    }
    sort_unique(out.pairs);
    out.stats.candidate_pairs = out.pairs.size();
    return out;
}

}  // namespace qreg::dedup
