#include "qreg/dedup/block.hpp"

#include <algorithm>
#include <stdexcept>

#include "qreg/dedup/parallel_sort.hpp"

namespace qreg::dedup {

namespace {

struct Entry {
    std::uint64_t key;
    std::uint64_t refine;
    std::uint32_t record;
    std::uint32_t max_block;  // 0: the default
    std::uint8_t rule;
};

std::uint64_t pair_of(std::uint32_t a, std::uint32_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<std::uint64_t>(a) << 32) | b;
}

std::vector<Entry> sorted_entries(std::span<const std::vector<BlockKey>> keys, int only_rule) {
    std::vector<Entry> entries;
    std::size_t total = 0;
    for (const auto& k : keys) total += k.size();
    entries.reserve(total);
    for (std::uint32_t r = 0; r < keys.size(); ++r) {
        for (const auto& k : keys[r]) {
            if (k.key != 0 && (only_rule == all_rules || k.rule == only_rule)) {
                entries.push_back({k.key, k.refine, r, k.max_block, k.rule});
            }
        }
    }
    parallel_sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
        if (x.key != y.key) return x.key < y.key;
        if (x.refine != y.refine) return x.refine < y.refine;
        return x.record < y.record;
    });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const Entry& x, const Entry& y) {
                                  return x.key == y.key && x.refine == y.refine && x.record == y.record;
                              }),
                  entries.end());
    return entries;
}

void sort_unique(std::vector<std::uint64_t>& pairs) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
}

std::size_t pairs_in(std::size_t n, std::size_t window) {
    if (n < 2) return 0;
    if (window + 1 >= n) return n * (n - 1) / 2;
    // The first n - window records each pair with `window` followers; the rest with all after.
    return (n - window) * window + window * (window - 1) / 2;
}

}  // namespace

std::uint64_t hash_text(std::uint64_t seed, const char* data, std::size_t size) {
    return TextHash(seed).add(std::string_view(data, size)).value();
}

Blocks::Blocks(std::span<const std::vector<BlockKey>> keys, std::size_t max_block, int only_rule) {
    const auto entries = sorted_entries(keys, only_rule);
    const auto add_group = [&](std::span<const Entry> part, std::size_t window) {
        const auto rule = part.front().rule;
        const auto pairs = pairs_in(part.size(), window);
        stats_.pairs_made += pairs;
        if (rule_pairs_made_.size() <= rule) rule_pairs_made_.resize(rule + 1u, 0);
        rule_pairs_made_[rule] += pairs;
        if (part.size() < 2) return;
        const auto begin = static_cast<std::uint32_t>(members_.size());
        for (const auto& e : part) members_.push_back(e.record);
        groups_.push_back(
            {begin, static_cast<std::uint32_t>(members_.size()), static_cast<std::uint32_t>(window), rule});
    };
    std::size_t i = 0;
    while (i < entries.size()) {
        std::size_t j = i;
        while (j < entries.size() && entries[j].key == entries[i].key) ++j;
        const auto block = std::span(entries).subspan(i, j - i);
        const std::size_t cap = block.front().max_block != 0 ? block.front().max_block : max_block;
        ++stats_.blocks;
        stats_.largest_block = std::max(stats_.largest_block, block.size());
        if (block.size() <= cap) {
            add_group(block, block.size());
        } else {
            ++stats_.refined_blocks;
            std::size_t s = 0;
            while (s < block.size()) {
                std::size_t e = s;
                while (e < block.size() && block[e].refine == block[s].refine) ++e;
                if (e - s > cap) ++stats_.windowed_blocks;
                add_group(block.subspan(s, e - s), cap);
                s = e;
            }
        }
        i = j;
    }
    if (members_.size() >= complete_bit) throw std::length_error("too many block members");
    // Each record's groups, ascending (groups are visited in order).
    record_start_.assign(keys.size() + 1, 0);
    for (const auto r : members_) ++record_start_[r + 1];
    for (std::size_t r = 0; r < keys.size(); ++r) record_start_[r + 1] += record_start_[r];
    record_groups_.resize(members_.size());
    auto next = record_start_;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        const auto& span = groups_[g];
        const bool complete = span.window + 1 >= span.end - span.begin;
        for (auto p = span.begin; p < span.end; ++p) {
            record_groups_[next[members_[p]]++] =
                (static_cast<std::uint64_t>(g) << 32) | p | (complete ? complete_bit : 0u);
        }
    }
}

bool Blocks::paired_before(std::uint32_t a, std::uint32_t b, std::size_t g) const {
    std::size_t i = record_start_[a], j = record_start_[b];
    const std::size_t end_a = record_start_[a + 1], end_b = record_start_[b + 1];
    while (i < end_a && j < end_b) {
        const auto ga = record_groups_[i] >> 32, gb = record_groups_[j] >> 32;
        if (ga >= g || gb >= g) return false;
        if (ga < gb) {
            ++i;
        } else if (gb < ga) {
            ++j;
        } else {
            const auto pa = static_cast<std::uint32_t>(record_groups_[i]);
            if ((pa & complete_bit) != 0) return true;
            const auto pb = static_cast<std::uint32_t>(record_groups_[j]);
            const auto distance = pa > pb ? pa - pb : pb - pa;
            if (distance <= groups_[ga].window) return true;
            ++i;
            ++j;
        }
    }
    return false;
}

std::size_t Blocks::pairs_made(int rule) const {
    if (rule == all_rules) return stats_.pairs_made;
    const auto r = static_cast<std::size_t>(rule);
    return r < rule_pairs_made_.size() ? rule_pairs_made_[r] : 0;
}

std::vector<std::uint64_t> Blocks::sample_pairs(std::size_t max_pairs, int only_rule,
                                                std::span<const int> skip) const {
    std::vector<std::uint64_t> out;
    const auto wanted = [&](int rule) {
        return (only_rule == all_rules || rule == only_rule) &&
               std::find(skip.begin(), skip.end(), rule) == skip.end();
    };
    std::size_t made = 0;
    for (std::size_t r = 0; r < rule_pairs_made_.size(); ++r) {
        if (wanted(static_cast<int>(r))) made += rule_pairs_made_[r];
    }
    const auto groups_of_rule = [&](auto&& each_pair) {
        for (std::size_t g = 0; g < size(); ++g) {
            if (wanted(groups_[g].rule)) for_each_pair(g, each_pair);
        }
    };
    if (made <= max_pairs) {
        out.reserve(made);
        groups_of_rule([&](std::uint32_t a, std::uint32_t b) { out.push_back(pair_of(a, b)); });
    } else {
        // A pair is kept when its hash falls below the share wanted: every occurrence of a pair
        // decides alike, and which pairs are kept does not depend on the order of the blocks.
        const auto limit = static_cast<std::uint64_t>(static_cast<double>(max_pairs) /
                                                      static_cast<double>(made) * 18446744073709551615.0);
        out.reserve(max_pairs + max_pairs / 8);
        groups_of_rule([&](std::uint32_t a, std::uint32_t b) {
            const auto pair = pair_of(a, b);
            std::uint64_t h = pair * 0x9E3779B97F4A7C15ull;
            h ^= h >> 29;
            h *= 0xBF58476D1CE4E5B9ull;
            h ^= h >> 32;
            if (h < limit) out.push_back(pair);
        });
    }
    sort_unique(out);
    return out;
}

CandidatePairs candidate_pairs(std::span<const std::vector<BlockKey>> keys, std::size_t max_block) {
    const Blocks blocks(keys, max_block);
    CandidatePairs out;
    out.stats = blocks.stats();
    out.pairs = blocks.sample_pairs(out.stats.pairs_made);
    out.stats.candidate_pairs = out.pairs.size();
    return out;
}

CandidatePairs sampled_candidate_pairs(std::span<const std::vector<BlockKey>> keys, std::size_t max_block,
                                       std::size_t max_pairs) {
    const Blocks blocks(keys, max_block);
    CandidatePairs out;
    out.stats = blocks.stats();
    out.pairs = blocks.sample_pairs(max_pairs);
    out.stats.candidate_pairs = out.pairs.size();
    return out;
}

}  // namespace qreg::dedup
