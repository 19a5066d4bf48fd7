#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

// Blocking: records that share a key under some rule become candidate pairs, so that a large
// registry compares a small multiple of its records instead of all pairs.
namespace qreg::dedup {

struct BlockKey {
    std::uint64_t key = 0;        // the rule's key (the rule is mixed in by the caller); 0: none
    std::uint64_t refine = 0;     // a finer key, used to split a block that is too large
    std::uint32_t max_block = 0;  // this rule's block cap; 0: the cap given to candidate_pairs
    std::uint8_t rule = 0;        // which of the rules made it (its index in their list)
};
inline constexpr int all_rules = -1;

struct BlockingStats {
    std::size_t blocks = 0;
    std::size_t largest_block = 0;
    std::size_t refined_blocks = 0;   // split by their finer key because they were too large
    std::size_t windowed_blocks = 0;  // still too large after refining: compared in a window
    std::size_t candidate_pairs = 0;
    std::size_t pairs_made = 0;  // by the blocks, a pair once per block (sampled: before sampling)
};

struct CandidatePairs {
    std::vector<std::uint64_t> pairs;  // (a << 32) | b with a < b, sorted, unique
    BlockingStats stats;
};

// `keys[r]` lists record r's block keys. A block of more than `max_block` records (or its
// keys' own cap) is split by the refine key; a part still larger is compared as a sorted
// window of that many neighbours (ordered by refine key), never dropped, and counted in the
// stats.
[[nodiscard]] CandidatePairs candidate_pairs(std::span<const std::vector<BlockKey>> keys,
                                             std::size_t max_block);

// The blocks of a set of records, ready to be compared block by block: each group lists records
// that are paired among themselves (a whole block, or one part of a large block split by the
// finer key), so that a group's records can be gathered once and their pairs compared while
// they are in cache. A pair that several groups make is compared once, in its first group
// (paired_before). A record with the same key twice is in that block once.
class Blocks {
public:
    // The blocks of the keys of one rule (`only_rule`, an index into the rules) or of all.
    Blocks(std::span<const std::vector<BlockKey>> keys, std::size_t max_block, int only_rule = all_rules);

    struct Group {
        std::span<const std::uint32_t> records;  // ascending
        std::size_t window;                      // pairs i < j with j - i <= window
    };
    [[nodiscard]] std::size_t size() const { return groups_.size(); }
    [[nodiscard]] Group operator[](std::size_t g) const {
        const auto& s = groups_[g];
        return {std::span(members_).subspan(s.begin, s.end - s.begin), s.window};
    }
    // Whether a group before `g` pairs records a and b.
    [[nodiscard]] bool paired_before(std::uint32_t a, std::uint32_t b, std::size_t g) const;
    // The first group record r is in (size() when none): a pair whose record has group g as
    // its first cannot have been paired before g, which spares most pairs paired_before.
    [[nodiscard]] std::size_t first_group(std::uint32_t r) const {
        return record_start_[r] < record_start_[r + 1] ? record_groups_[record_start_[r]] >> 32 : size();
    }
    // Calls emit(a, b) for every pair of group g.
    template <class Emit>
    void for_each_pair(std::size_t g, Emit&& emit) const {
        const auto group = (*this)[g];
        for (std::size_t i = 0; i < group.records.size(); ++i) {
            for (std::size_t j = i + 1; j < group.records.size() && j - i <= group.window; ++j) {
                emit(group.records[i], group.records[j]);
            }
        }
    }
    // An even sample of about `max_pairs` of the distinct pairs (all when there are no more)
    // of all groups or of one rule's: a pair is taken when its hash is low enough, so the
    // sample does not depend on the order of blocks or records. Sorted, unique. One rule's
    // sample is the one the blocks of that rule alone give. The groups of `skip` (rules) are
    // left out.
    [[nodiscard]] std::vector<std::uint64_t> sample_pairs(std::size_t max_pairs, int only_rule = all_rules,
                                                          std::span<const int> skip = {}) const;
    // The pairs the groups make (a pair once per group), of all rules or of one.
    [[nodiscard]] std::size_t pairs_made(int rule = all_rules) const;
    [[nodiscard]] const BlockingStats& stats() const { return stats_; }

private:
    struct Span {
        std::uint32_t begin, end, window;
        std::uint8_t rule;
    };
    static constexpr std::uint32_t complete_bit = 0x80000000u;  // the group pairs all its records
    std::vector<std::uint32_t> members_;  // the records of each group, group after group
    std::vector<Span> groups_;            // groups of at least two records, in key order
    // Per record (from record_start_), its groups ascending: group << 32 | member position,
    // with complete_bit set in the position when the group pairs all its records.
    std::vector<std::size_t> record_start_;
    std::vector<std::uint64_t> record_groups_;
    std::vector<std::size_t> rule_pairs_made_;  // by rule
    BlockingStats stats_;
};

// An even sample of about `max_pairs` of the pairs candidate_pairs would make (all of them
// when the blocks make no more, a pair counted once per block it comes from), without making
// the others: for training on a large registry. Which
// pairs are kept depends on the pair alone (a hash), not on block or record order.
[[nodiscard]] CandidatePairs sampled_candidate_pairs(std::span<const std::vector<BlockKey>> keys,
                                                     std::size_t max_block, std::size_t max_pairs);

[[nodiscard]] inline std::uint32_t pair_first(std::uint64_t pair) {
    return static_cast<std::uint32_t>(pair >> 32);
}
[[nodiscard]] inline std::uint32_t pair_second(std::uint64_t pair) {
    return static_cast<std::uint32_t>(pair & 0xFFFFFFFFu);
}

// A stable 64-bit hash (FNV-1a then a final mix) for building keys from text.
[[nodiscard]] std::uint64_t hash_text(std::uint64_t seed, const char* data, std::size_t size);

// The same hash fed piece by piece (no text assembled first): hash_text(seed, whole text).
class TextHash {
public:
    explicit TextHash(std::uint64_t seed) : h_(1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull)) {}
    TextHash& add(std::string_view part) {
        for (const char c : part) add(c);
        return *this;
    }
    TextHash& add(char c) {
        h_ ^= static_cast<unsigned char>(c);
        h_ *= 1099511628211ull;
        return *this;
    }
    [[nodiscard]] std::uint64_t value() const {
        std::uint64_t h = h_;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
        return h == 0 ? 1 : h;
    }

private:
    std::uint64_t h_;
};

}  // namespace qreg::dedup
