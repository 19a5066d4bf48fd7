#include "qreg/dedup/block.hpp"

#include <algorithm>

namespace qreg::dedup {

namespace {

struct Entry {
    std::uint64_t key;
    std::uint64_t refine;
    std::uint32_t record;
};

void add_all_pairs(std::span<const Entry> group, std::vector<std::uint64_t>& out) {
    for (std::size_t i = 0; i < group.size(); ++i) {
        for (std::size_t j = i + 1; j < group.size(); ++j) {
            auto a = group[i].record, b = group[j].record;
            if (a == b) continue;
            if (a > b) std::swap(a, b);
            out.push_back((static_cast<std::uint64_t>(a) << 32) | b);
        }
    }
}

void add_window_pairs(std::span<const Entry> group, std::size_t window, std::vector<std::uint64_t>& out) {
    for (std::size_t i = 0; i < group.size(); ++i) {
        for (std::size_t j = i + 1; j < group.size() && j <= i + window; ++j) {
            auto a = group[i].record, b = group[j].record;
            if (a == b) continue;
            if (a > b) std::swap(a, b);
            out.push_back((static_cast<std::uint64_t>(a) << 32) | b);
        }
    }
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
    std::vector<Entry> entries;
    std::size_t total = 0;
    for (const auto& k : keys) total += k.size();
    entries.reserve(total);
    for (std::uint32_t r = 0; r < keys.size(); ++r) {
        for (const auto& k : keys[r]) {
            if (k.key != 0) entries.push_back({k.key, k.refine, r});
        }
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
        if (x.key != y.key) return x.key < y.key;
        if (x.refine != y.refine) return x.refine < y.refine;
        return x.record < y.record;
    });

    CandidatePairs out;
    auto& stats = out.stats;
    std::size_t i = 0;
    while (i < entries.size()) {
        std::size_t j = i;
        while (j < entries.size() && entries[j].key == entries[i].key) ++j;
        const std::span<const Entry> block(entries.data() + i, j - i);
        ++stats.blocks;
        stats.largest_block = std::max(stats.largest_block, block.size());
        if (block.size() <= max_block) {
            add_all_pairs(block, out.pairs);
        } else {
            ++stats.refined_blocks;
            std::size_t s = 0;
            while (s < block.size()) {
                std::size_t e = s;
                while (e < block.size() && block[e].refine == block[s].refine) ++e;
                const auto part = block.subspan(s, e - s);
                if (part.size() <= max_block) {
                    add_all_pairs(part, out.pairs);
                } else {
                    ++stats.windowed_blocks;
                    add_window_pairs(part, max_block, out.pairs);
                }
                s = e;
            }
        }
        i = j;
    }
    std::sort(out.pairs.begin(), out.pairs.end());
    out.pairs.erase(std::unique(out.pairs.begin(), out.pairs.end()), out.pairs.end());
    stats.candidate_pairs = out.pairs.size();
    return out;
}

}  // namespace qreg::dedup
