#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

// Blocking: records that share a key under some rule become candidate pairs, so that a large
// registry compares a small multiple of its records instead of all pairs.
namespace qreg::dedup {

struct BlockKey {
    std::uint64_t key = 0;     // the rule's key (the rule is mixed in by the caller); 0: none
    std::uint64_t refine = 0;  // a finer key, used to split a block that is too large
    std::uint32_t max_block = 0;  // this rule's block cap; 0: the cap given to candidate_pairs
};

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

}  // namespace qreg::dedup
