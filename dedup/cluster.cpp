#include "qreg/dedup/cluster.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <unordered_map>

namespace qreg::dedup {

namespace {

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<std::uint64_t>(a) << 32) | b;
}

// Clusters by union-find, each cluster's members as a list threaded through the records
// (head, next, tail): a merge appends b's members after a's in O(1), without a vector per
// record (millions of them in a full matching).
class Groups {
public:
    static constexpr std::uint32_t none = 0xFFFFFFFFu;

    explicit Groups(std::uint32_t n) : parent_(n), next_(n, none), tail_(n), size_(n, 1) {
        std::iota(parent_.begin(), parent_.end(), 0u);
        std::iota(tail_.begin(), tail_.end(), 0u);
    }
    std::uint32_t find(std::uint32_t x) {
        while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
        return x;
    }
    [[nodiscard]] std::size_t size(std::uint32_t root) const { return size_[root]; }
    // Calls fn(member) for each member of the cluster, in the order they joined it; stops at
    // the first that returns false and returns false then.
    template <class Fn>
    bool each_member(std::uint32_t root, Fn&& fn) const {
        for (auto x = root; x != none; x = next_[x]) {
            if (!fn(x)) return false;
        }
        return true;
    }
    void merge(std::uint32_t ra, std::uint32_t rb) {
        if (ra > rb) std::swap(ra, rb);  // the smaller index stays the root, and its members first
        parent_[rb] = ra;
        next_[tail_[ra]] = rb;
        tail_[ra] = tail_[rb];
        size_[ra] += size_[rb];
    }

private:
    std::vector<std::uint32_t> parent_;
    std::vector<std::uint32_t> next_;  // the next member of the same cluster
    std::vector<std::uint32_t> tail_;  // per root: its last member
    std::vector<std::uint32_t> size_;  // per root
};

// The scores of the pairs given, by pair (sorted, searched), and of those scored since.
class KnownScores {
public:
    explicit KnownScores(const std::vector<ScoredPair>& pairs) {
        sorted_.reserve(pairs.size());
        for (const auto& p : pairs) sorted_.push_back({pair_key(p.a, p.b), {p.weight, p.conflict}});
        // A pair given twice keeps its last score.
        std::stable_sort(sorted_.begin(), sorted_.end(),
                         [](const Entry& x, const Entry& y) { return x.key < y.key; });
        std::size_t kept = 0;
        for (std::size_t i = 0; i < sorted_.size(); ++i) {
            if (i + 1 < sorted_.size() && sorted_[i + 1].key == sorted_[i].key) continue;
            sorted_[kept++] = sorted_[i];
        }
        sorted_.resize(kept);
    }
    [[nodiscard]] PairScore get(std::uint32_t a, std::uint32_t b, const ScoreFn& score) {
        const auto key = pair_key(a, b);
        const auto it = std::lower_bound(sorted_.begin(), sorted_.end(), key,
                                         [](const Entry& e, std::uint64_t k) { return e.key < k; });
        if (it != sorted_.end() && it->key == key) return it->score;
        if (const auto found = scored_.find(key); found != scored_.end()) return found->second;
        const PairScore s = score(std::min(a, b), std::max(a, b));
        scored_.emplace(key, s);
        return s;
    }

private:
    struct Entry {
        std::uint64_t key;
        PairScore score;
    };
    std::vector<Entry> sorted_;
    std::unordered_map<std::uint64_t, PairScore> scored_;
};

}  // namespace

Clustering cluster(std::uint32_t record_count, std::vector<ScoredPair> pairs, const ScoreFn& score,
                   const ClusterSettings& settings, const Constraints& constraints) {
    for (auto& p : pairs) {
        if (p.a > p.b) std::swap(p.a, p.b);
    }
    KnownScores known(pairs);
    std::set<std::uint64_t> forbidden;
    for (const auto& [a, b] : constraints.cannot_link) forbidden.insert(pair_key(a, b));

    Groups groups(record_count);
    // People's decisions first: must-link merges regardless of scores.
    for (const auto& [a, b] : constraints.must_link) {
        const auto ra = groups.find(a), rb = groups.find(b);
        if (ra != rb) groups.merge(ra, rb);
    }

    // Strongest links first; ties by index so the order is total.
    std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
        if (x.weight != y.weight) return x.weight > y.weight;
        return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    });

    const auto compatible = [&](std::uint32_t ra, std::uint32_t rb) {
        const std::size_t na = groups.size(ra), nb = groups.size(rb);
        if (na + nb > settings.max_cluster_size) return false;
        const auto cross = static_cast<double>(na * nb);
        // Weak pairs (below the review weight, not against) a record joining a person may
        // carry: a share of all. Two groups merge only when every pair is at the review weight.
        const bool one_record = na == 1 || nb == 1;
        const auto weak_allowed = one_record ? static_cast<std::size_t>(settings.max_weak_share * cross) : 0;
        std::size_t weak = 0;
        double sum = 0.0;
        const bool ok = groups.each_member(ra, [&](std::uint32_t x) {
            return groups.each_member(rb, [&](std::uint32_t y) {
                if (forbidden.count(pair_key(x, y))) return false;
                const auto s = known.get(x, y, score);
                if (s.conflict || s.weight < 0.0) return false;
                if (s.weight < settings.review_weight && ++weak > weak_allowed) return false;
                sum += s.weight;
                return true;
            });
        });
        return ok && sum / cross >= settings.link_weight;
    };

    for (const auto& p : pairs) {
        if (p.weight < settings.link_weight) break;
        if (p.conflict) continue;
        const auto ra = groups.find(p.a), rb = groups.find(p.b);
        if (ra == rb) continue;
        if (compatible(ra, rb)) groups.merge(ra, rb);
    }

    Clustering out;
    out.cluster_of.resize(record_count);
    for (std::uint32_t i = 0; i < record_count; ++i) out.cluster_of[i] = groups.find(i);

    // Possible matches: the best pair between two clusters that did not merge (the first of
    // the strongest-first order), by pair of clusters.
    std::vector<std::pair<std::uint64_t, std::size_t>> between;  // (cluster pair, index in pairs)
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto& p = pairs[i];
        if (p.weight < settings.review_weight || p.conflict) continue;
        const auto ca = out.cluster_of[p.a], cb = out.cluster_of[p.b];
        if (ca == cb || forbidden.count(pair_key(p.a, p.b))) continue;
        between.emplace_back(pair_key(ca, cb), i);
    }
    std::sort(between.begin(), between.end());
    for (std::size_t i = 0; i < between.size(); ++i) {
        const bool first_of_its_clusters = i == 0 || between[i].first != between[i - 1].first;
        if (first_of_its_clusters) out.review.push_back(pairs[between[i].second]);
    }
    return out;
}

}  // namespace qreg::dedup
