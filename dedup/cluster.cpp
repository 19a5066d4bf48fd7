#include "qreg/dedup/cluster.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

namespace qreg::dedup {

namespace {

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<std::uint64_t>(a) << 32) | b;
}

class Groups {
public:
    explicit Groups(std::uint32_t n) : parent_(n), members_(n) {
        std::iota(parent_.begin(), parent_.end(), 0u);
        for (std::uint32_t i = 0; i < n; ++i) members_[i] = {i};
    }
    std::uint32_t find(std::uint32_t x) {
        while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
        return x;
    }
    const std::vector<std::uint32_t>& members(std::uint32_t root) const { return members_[root]; }
    void merge(std::uint32_t ra, std::uint32_t rb) {
        if (ra > rb) std::swap(ra, rb);  // the smaller index stays the root
        parent_[rb] = ra;
        auto& into = members_[ra];
        into.insert(into.end(), members_[rb].begin(), members_[rb].end());
        members_[rb].clear();
        members_[rb].shrink_to_fit();
    }

private:
    std::vector<std::uint32_t> parent_;
    std::vector<std::vector<std::uint32_t>> members_;
};

}  // namespace

Clustering cluster(std::uint32_t record_count, std::vector<ScoredPair> pairs, const ScoreFn& score,
                   const ClusterSettings& settings, const Constraints& constraints) {
    std::unordered_map<std::uint64_t, PairScore> known;
    known.reserve(pairs.size() * 2);
    for (auto& p : pairs) {
        if (p.a > p.b) std::swap(p.a, p.b);
        known[pair_key(p.a, p.b)] = {p.weight, p.conflict};
    }
    std::set<std::uint64_t> forbidden;
    for (const auto& [a, b] : constraints.cannot_link) forbidden.insert(pair_key(a, b));

    const auto lookup = [&](std::uint32_t a, std::uint32_t b) {
        const auto key = pair_key(a, b);
        if (const auto it = known.find(key); it != known.end()) return it->second;
        const PairScore s = score(std::min(a, b), std::max(a, b));
        known.emplace(key, s);
        return s;
    };

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
        const auto& ma = groups.members(ra);
        const auto& mb = groups.members(rb);
        if (ma.size() + mb.size() > settings.max_cluster_size) return false;
        double sum = 0.0;
        for (const auto x : ma) {
            for (const auto y : mb) {
                if (forbidden.count(pair_key(x, y))) return false;
                const auto s = lookup(x, y);
                if (s.conflict || s.weight < settings.review_weight) return false;
                sum += s.weight;
            }
        }
        return sum / static_cast<double>(ma.size() * mb.size()) >= settings.link_weight;
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

    // Possible matches: the best pair between two clusters that did not merge.
    std::map<std::uint64_t, ScoredPair> best;
    for (const auto& p : pairs) {
        if (p.weight < settings.review_weight || p.conflict) continue;
        const auto ca = out.cluster_of[p.a], cb = out.cluster_of[p.b];
        if (ca == cb || forbidden.count(pair_key(p.a, p.b))) continue;
        const auto key = pair_key(ca, cb);
        const auto it = best.find(key);
        if (it == best.end() || p.weight > it->second.weight) best[key] = p;
    }
    for (const auto& [key, p] : best) out.review.push_back(p);
    return out;
}

}  // namespace qreg::dedup
