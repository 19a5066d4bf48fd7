#pragma once

#include <cstdint>
#include <functional>
#include <vector>

// Clustering of scored record pairs into persons, without chaining: two groups merge only when
// every pair across them is compatible (no conflict, no evidence against, weak pairs only in a
// set share where a single record joins) and the pairs across them agree on average as
// strongly as a link requires.
namespace qreg::dedup {

struct ScoredPair {
    std::uint32_t a = 0;  // a < b: indices into the records being clustered
    std::uint32_t b = 0;
    double weight = 0.0;  // total match weight (log2 m/u summed over the fields)
    bool conflict = false;  // strong contrary evidence: different AZR numbers, different sex
};

struct PairScore {
    double weight = 0.0;
    bool conflict = false;
};

// Scores any pair on demand (pairs the blocking did not produce are scored only when a merge
// needs them).
using ScoreFn = std::function<PairScore(std::uint32_t, std::uint32_t)>;

struct ClusterSettings {
    double link_weight = 10.0;    // at or above: link
    double review_weight = 2.0;   // at or above (below link): possible match, for review
    std::uint32_t max_cluster_size = 64;
    // The share of its pairs with a group that a single record joining it may have weak
    // (below the review weight but not below 0: no evidence against). 0: every pair at the
    // review weight, as for two groups of several records always. A record then joins a person
    // of four or more records it links with strongly even if one of them, itself mistyped
    // elsewhere, hardly resembles it; with two or three it cannot.
    double max_weak_share = 0.0;
};

struct Clustering {
    std::vector<std::uint32_t> cluster_of;  // per record: the smallest record index of its cluster
    std::vector<ScoredPair> review;         // possible matches left between different clusters
};

// Deterministic for a given record order and pair set: the caller orders records canonically
// (by content, never by record id) so that the result does not depend on arrival order.
// `must_link` and `cannot_link` are decisions made by people; they override the scores.
struct Constraints {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> must_link;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cannot_link;
};

[[nodiscard]] Clustering cluster(std::uint32_t record_count, std::vector<ScoredPair> pairs,
                                 const ScoreFn& score, const ClusterSettings& settings,
                                 const Constraints& constraints = {});

}  // namespace qreg::dedup
