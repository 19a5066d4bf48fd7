#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <span>
#include <vector>

#include "qreg/dedup/blocking_rules.hpp"
#include "qreg/dedup/cluster.hpp"
#include "qreg/dedup/em.hpp"
#include "qreg/dedup/features.hpp"
#include "qreg/dedup/score.hpp"

// The matching engine end to end, on values: block, compare, train, score, cluster.
namespace qreg::dedup {

struct MatchSettings {
    ScoreSettings score;  // starting parameters when untrained, enabled fields, term frequency
    ClusterSettings cluster;
    std::vector<BlockRule> blocking;
    std::size_t max_block = 300;
    // Rules with a cap of their own (a key of one common name and a birth year makes far larger
    // blocks than two name keys do).
    std::vector<std::pair<BlockRule, std::size_t>> rule_max_block;
    EmOptions em;
    unsigned threads = 2;
    std::size_t u_samples = 1000000;  // random pairs for estimating u
    // The registry matches an import incrementally unless it changed at least this share of
    // the records already matched; then it recomputes all persons.
    double full_recompute_share = 0.25;
};

// A content fingerprint that orders records canonically: it reads what matching compares and
// nothing else (no source record id), so the same records give the same order whatever their
// ids or the order they arrived in.
[[nodiscard]] std::uint64_t fingerprint(const RecordFeatures& record);

struct Candidates {
    std::vector<std::uint64_t> pairs;  // see block.hpp
    BlockingStats stats;
};

[[nodiscard]] Candidates find_candidates(std::span<const RecordFeatures> records,
                                         const MatchSettings& settings);

// Every record's block keys under `settings.blocking` (block_keys, on all cores), and the
// candidate pairs from keys already made: the registry keeps the keys for incremental matching.
[[nodiscard]] std::vector<std::vector<BlockKey>> all_block_keys(std::span<const RecordFeatures> records,
                                                                const MatchSettings& settings);
[[nodiscard]] Candidates find_candidates(std::span<const std::vector<BlockKey>> keys,
                                         const MatchSettings& settings);
// The blocks of `records` under `settings.blocking`, for training and linking block by block.
[[nodiscard]] Blocks make_blocks(std::span<const RecordFeatures> records, const MatchSettings& settings);

// u per field and level from `samples` pseudo-random record pairs (deterministic), which are
// almost all pairs of different people.
[[nodiscard]] FsParameters estimate_u(std::span<const RecordFeatures> records,
                                      const MatchSettings& settings, std::size_t samples);

// Estimates m, u and the prior. m by EM on the pairs of each blocking rule alone, with that
// rule's own fields left out and u of random pairs (estimate_u) held; rules whose pairs are
// nearly all one person are preferred. Then u and the prior by EM over all candidate pairs with
// m held. Finally the weights are put in order (make_weights_ordered).
// `blocks` are the blocks of the records' keys (all_block_keys), of all rules.
[[nodiscard]] EmResult train(std::span<const RecordFeatures> records, const Blocks& blocks,
                             const MatchSettings& settings);
[[nodiscard]] EmResult train(std::span<const RecordFeatures> records, const MatchSettings& settings);

// Counted in up to `threads` parts side by side; the same counts however many.
[[nodiscard]] NameFrequencies name_frequencies(std::span<const RecordFeatures> records, unsigned threads = 1);

// One pair's total match weight (term-frequency adjusted) and whether strong evidence conflicts.
[[nodiscard]] PairScore score_pair(const MatchSettings& settings, const NameFrequencies& tf,
                                   const RecordFeatures& a, const RecordFeatures& b);

// Scores pairs among `records` (which it refers to, as it does to the settings) as score_pair
// does, with each record's name rarity worked out once.
class PairScorer {
public:
    PairScorer(const MatchSettings& settings, const NameFrequencies& tf, std::span<const RecordFeatures> records);
    [[nodiscard]] PairScore score(std::uint32_t a, std::uint32_t b) const;
    // The score when it is at least `floor`; nothing otherwise, mostly known from the fields
    // cheap to compare (WeightBound) without comparing names.
    // `compared`, when given, is set when the pair was compared in full.
    [[nodiscard]] std::optional<PairScore> score_from(std::uint32_t a, std::uint32_t b, double floor,
                                                      bool* compared = nullptr) const;
    // The parts of score_from, for callers that keep summaries of their own at hand.
    [[nodiscard]] const WeightBound::Summary& summary(std::uint32_t r) const { return summary_[r]; }
    [[nodiscard]] double bound(const WeightBound::Summary& sa, const WeightBound::Summary& sb, std::uint32_t a,
                               std::uint32_t b) const {
        return bound_(sa, sb, records_[a], records_[b]);
    }

private:
    const MatchSettings& settings_;
    const NameFrequencies& tf_;
    std::span<const RecordFeatures> records_;
    WeightBound bound_;
    std::vector<WeightBound::Summary> summary_;
};

struct LinkResult {
    Clustering clustering;
    std::size_t pairs_scored = 0;    // pairs of the blocks (a pair once per block it is in)
    std::size_t names_compared = 0;  // distinct pairs the weight bound could not rule out
};

// Scores the blocks' pairs with `settings.score`, block by block, and clusters the records.
// `step`, when given, hears when scoring ends and clustering begins (progress output).
[[nodiscard]] LinkResult link(std::span<const RecordFeatures> records, const Blocks& blocks,
                              const MatchSettings& settings, const NameFrequencies& tf,
                              const Constraints& constraints = {},
                              const std::function<void(std::string_view)>& step = {});

}  // namespace qreg::dedup
