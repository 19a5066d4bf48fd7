#include "qreg/dedup/cluster.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>

namespace d = qreg::dedup;

namespace {

// A symmetric score table; pairs absent from it score as a clear non-match.
struct Table {
    std::map<std::pair<std::uint32_t, std::uint32_t>, d::PairScore> scores;
    void set(std::uint32_t a, std::uint32_t b, double w, bool conflict = false) {
        scores[{std::min(a, b), std::max(a, b)}] = {w, conflict};
    }
    d::PairScore operator()(std::uint32_t a, std::uint32_t b) const {
        const auto it = scores.find({std::min(a, b), std::max(a, b)});
        return it == scores.end() ? d::PairScore{-20.0, false} : it->second;
    }
    std::vector<d::ScoredPair> pairs() const {
        std::vector<d::ScoredPair> out;
        for (const auto& [k, s] : scores) out.push_back({k.first, k.second, s.weight, s.conflict});
        return out;
    }
};

// Partition as a canonical set of sets, independent of labels.
std::vector<std::vector<std::uint32_t>> partition(const std::vector<std::uint32_t>& cluster_of) {
    std::map<std::uint32_t, std::vector<std::uint32_t>> groups;
    for (std::uint32_t i = 0; i < cluster_of.size(); ++i) groups[cluster_of[i]].push_back(i);
    std::vector<std::vector<std::uint32_t>> out;
    for (auto& [k, v] : groups) out.push_back(v);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_SUITE("dedup.cluster") {

TEST_CASE("strong links join records into one person") {
    Table t;
    t.set(0, 1, 20);
    t.set(1, 2, 18);
    t.set(0, 2, 15);
    const auto c = d::cluster(4, t.pairs(), std::cref(t), {});
    CHECK(partition(c.cluster_of) == std::vector<std::vector<std::uint32_t>>{{0, 1, 2}, {3}});
}

TEST_CASE("links do not chain through one member to a record the rest disagrees with") {
    // 0-1 and 1-2 link strongly, but 0 and 2 are clearly different people (e.g. siblings
    // sharing a household with a record that resembles both).
    Table t;
    t.set(0, 1, 20);
    t.set(1, 2, 19);
    t.set(0, 2, -15);
    const auto c = d::cluster(3, t.pairs(), std::cref(t), {});
    CHECK(partition(c.cluster_of) == std::vector<std::vector<std::uint32_t>>{{0, 1}, {2}});
}

TEST_CASE("a weak pair is carried by a share of strong ones, but never evidence against") {
    // Records 0-3 are one person; record 4 links strongly with three of them and only weakly
    // (2 bits: no evidence against) with the fourth, itself mistyped elsewhere (FEBRL3's
    // rec-670: five records, one weak pair of ten).
    const auto person_of_four = [](double weak) {
        Table t;
        for (std::uint32_t a = 0; a < 4; ++a) {
            for (std::uint32_t b = a + 1; b < 4; ++b) t.set(a, b, 30);
        }
        t.set(0, 4, 14);
        t.set(1, 4, 10);
        t.set(2, 4, 9);
        t.set(3, 4, weak);
        return t;
    };
    d::ClusterSettings settings;
    settings.link_weight = 8;
    settings.review_weight = 4;
    const std::vector<std::vector<std::uint32_t>> together{{0, 1, 2, 3, 4}};
    const std::vector<std::vector<std::uint32_t>> apart{{0, 1, 2, 3}, {4}};
    const auto t = person_of_four(2);
    CHECK(partition(d::cluster(5, t.pairs(), std::cref(t), settings).cluster_of) == apart);
    settings.max_weak_share = 0.25;  // one weak pair of four may be carried
    CHECK(partition(d::cluster(5, t.pairs(), std::cref(t), settings).cluster_of) == together);
    // Evidence against (below 0) keeps the record out whatever the share.
    const auto against = person_of_four(-1);
    CHECK(partition(d::cluster(5, against.pairs(), std::cref(against), settings).cluster_of) == apart);
    // With two or three members, one weak pair is too large a share: no chaining through one.
    Table small;
    small.set(0, 1, 30);
    small.set(0, 2, 30);
    small.set(1, 2, 30);
    small.set(0, 3, 20);
    small.set(1, 3, 20);
    small.set(2, 3, 2);
    CHECK(partition(d::cluster(4, small.pairs(), std::cref(small), settings).cluster_of) ==
          std::vector<std::vector<std::uint32_t>>{{0, 1, 2}, {3}});
}

TEST_CASE("conflicting strong evidence keeps records apart whatever the other fields say") {
    Table t;
    t.set(0, 1, 30, true);  // e.g. two different AZR numbers
    const auto c = d::cluster(2, t.pairs(), std::cref(t), {});
    CHECK(c.cluster_of[0] != c.cluster_of[1]);
    CHECK(c.review.empty());
}

TEST_CASE("a pair between the review and link weights is a possible match for review") {
    Table t;
    t.set(0, 1, 5);
    const auto c = d::cluster(2, t.pairs(), std::cref(t), {});
    CHECK(c.cluster_of[0] != c.cluster_of[1]);
    REQUIRE(c.review.size() == 1);
    CHECK(c.review[0].a == 0);
    CHECK(c.review[0].b == 1);
}

TEST_CASE("the order of the candidate pairs does not change the result") {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> w(-10, 25);
    Table t;
    constexpr std::uint32_t n = 40;
    for (std::uint32_t a = 0; a < n; ++a) {
        for (std::uint32_t b = a + 1; b < n; ++b) {
            if (rng() % 5 == 0) t.set(a, b, std::round(w(rng)));  // many equal weights: ties
        }
    }
    auto pairs = t.pairs();
    const auto first = d::cluster(n, pairs, std::cref(t), {});
    for (int round = 0; round < 5; ++round) {
        std::shuffle(pairs.begin(), pairs.end(), rng);
        for (auto& p : pairs) {
            if (rng() % 2) std::swap(p.a, p.b);
        }
        const auto again = d::cluster(n, pairs, std::cref(t), {});
        CHECK(again.cluster_of == first.cluster_of);
    }
}

TEST_CASE("people's decisions override the scores") {
    Table t;
    t.set(0, 1, 20);
    t.set(2, 3, -20);
    d::Constraints decisions;
    decisions.cannot_link = {{0, 1}};
    decisions.must_link = {{2, 3}};
    const auto c = d::cluster(4, t.pairs(), std::cref(t), {}, decisions);
    CHECK(c.cluster_of[0] != c.cluster_of[1]);
    CHECK(c.cluster_of[2] == c.cluster_of[3]);
}

}  // TEST_SUITE("dedup.cluster")
