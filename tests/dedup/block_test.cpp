#include "qreg/dedup/block.hpp"
#include "qreg/dedup/parallel_sort.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace d = qreg::dedup;

namespace {

bool has_pair(const d::CandidatePairs& c, std::uint32_t a, std::uint32_t b) {
    const std::uint64_t p = (static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
    return std::binary_search(c.pairs.begin(), c.pairs.end(), p);
}

}  // namespace

TEST_SUITE("dedup.block") {

TEST_CASE("records sharing a key under any rule become candidates, once each") {
    std::vector<std::vector<d::BlockKey>> keys = {
        {{1, 0}, {10, 0}},
        {{1, 0}, {11, 0}},
        {{2, 0}, {10, 0}},
        {{3, 0}},
    };
    const auto c = d::candidate_pairs(keys, 100);
    CHECK(c.pairs.size() == 2);
    CHECK(has_pair(c, 0, 1));
    CHECK(has_pair(c, 0, 2));
    CHECK_FALSE(has_pair(c, 1, 2));
    CHECK_FALSE(has_pair(c, 0, 3));
}

TEST_CASE("a block over the cap is split by its finer key, not dropped") {
    std::vector<std::vector<d::BlockKey>> keys;
    for (std::uint64_t r = 0; r < 50; ++r) keys.push_back({{7, r % 5}});  // one common name
    const auto c = d::candidate_pairs(keys, 20);
    CHECK(c.stats.refined_blocks == 1);
    CHECK(c.stats.windowed_blocks == 0);
    CHECK(c.pairs.size() == 5 * (10 * 9 / 2));  // all pairs within each finer part
    CHECK(has_pair(c, 0, 5));
    CHECK_FALSE(has_pair(c, 0, 1));
}

TEST_CASE("a part still over the cap is compared in a window and reported") {
    std::vector<std::vector<d::BlockKey>> keys;
    for (std::uint64_t r = 0; r < 30; ++r) keys.push_back({{7, 1}});
    const auto c = d::candidate_pairs(keys, 4);
    CHECK(c.stats.windowed_blocks == 1);
    CHECK(has_pair(c, 0, 4));
    CHECK_FALSE(has_pair(c, 0, 5));
    CHECK(has_pair(c, 25, 29));
}

TEST_CASE("a sample of the candidate pairs is an even share of them, chosen by the pair alone") {
    std::vector<std::vector<d::BlockKey>> keys;
    for (std::uint64_t r = 0; r < 400; ++r) keys.push_back({{1 + r % 4, 0}, {10 + r % 7, 0}});
    const auto all = d::candidate_pairs(keys, 1000);
    CHECK(d::sampled_candidate_pairs(keys, 1000, 2 * all.pairs.size()).pairs == all.pairs);  // two keys each
    const auto sample = d::sampled_candidate_pairs(keys, 1000, all.pairs.size() / 10);
    CHECK(sample.pairs.size() > all.pairs.size() / 14);
    CHECK(sample.pairs.size() < all.pairs.size() / 7);
    CHECK(std::includes(all.pairs.begin(), all.pairs.end(), sample.pairs.begin(), sample.pairs.end()));
    // The same pairs whatever order the records' keys come in.
    auto reversed = keys;
    for (auto& k : reversed) std::reverse(k.begin(), k.end());
    CHECK(d::sampled_candidate_pairs(reversed, 1000, all.pairs.size() / 10).pairs == sample.pairs);
}

TEST_CASE("a key's own cap overrides the default one for its block") {
    std::vector<std::vector<d::BlockKey>> keys;
    for (std::uint64_t r = 0; r < 50; ++r) keys.push_back({{7, r % 5, 20}, {8, 0}});
    const auto c = d::candidate_pairs(keys, 100);
    CHECK(c.stats.refined_blocks == 1);          // key 7: 50 records over its own cap of 20
    CHECK(c.pairs.size() == 50 * 49 / 2);        // key 8 (default cap 100) pairs them all anyway
    keys.clear();
    for (std::uint64_t r = 0; r < 50; ++r) keys.push_back({{7, r % 5, 20}});
    CHECK(d::candidate_pairs(keys, 100).pairs.size() == 5 * (10 * 9 / 2));
}

TEST_CASE("block by block, each candidate pair is compared once: in the first group that makes it") {
    // Overlapping keys, a record with one key twice, a block split by its finer key and a part
    // compared in a window: the groups' pairs, each taken where paired_before says it is new,
    // are exactly the candidate pairs, none twice.
    std::vector<std::vector<d::BlockKey>> keys;
    for (std::uint64_t r = 0; r < 120; ++r) {
        keys.push_back({{1 + r % 3, 0}, {10 + r % 5, 0}, {10 + r % 5, 0}, {20 + r % 11, r % 4, 6}, {30 + r % 2, r % 3}});
    }
    keys.push_back({});  // a record in no block
    const auto all = d::candidate_pairs(keys, 30);
    CHECK(all.stats.refined_blocks > 0);
    CHECK(all.stats.windowed_blocks > 0);
    const d::Blocks blocks(keys, 30);
    std::vector<std::uint64_t> seen;
    std::size_t made = 0;
    for (std::size_t g = 0; g < blocks.size(); ++g) {
        blocks.for_each_pair(g, [&](std::uint32_t a, std::uint32_t b) {
            ++made;
            CHECK(a < b);
            // A record first met in this group cannot have been paired before (link's shortcut).
            if (blocks.first_group(a) == g || blocks.first_group(b) == g) {
                CHECK_FALSE(blocks.paired_before(a, b, g));
            }
            CHECK(blocks.first_group(a) <= g);
            if (!blocks.paired_before(a, b, g)) seen.push_back((static_cast<std::uint64_t>(a) << 32) | b);
        });
    }
    CHECK(made == blocks.stats().pairs_made);
    CHECK(made > all.pairs.size());  // some pairs are in several blocks
    std::sort(seen.begin(), seen.end());
    CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
    CHECK(seen == all.pairs);
}

TEST_CASE("text hashes are stable and seeded") {
    const std::string s = "hsn";
    CHECK(d::hash_text(1, s.data(), s.size()) == d::hash_text(1, s.data(), s.size()));
    CHECK(d::hash_text(1, s.data(), s.size()) != d::hash_text(2, s.data(), s.size()));
    CHECK(d::hash_text(1, s.data(), s.size()) != 0);
    // Fed piece by piece, the hash is that of the whole text (stored block keys rely on it).
    const std::string whole = "mhmd\x1f" "1990\x1f";
    CHECK(d::TextHash(5).add("mhmd").add('\x1f').add("1990").add('\x1f').value() ==
          d::hash_text(5, whole.data(), whole.size()));
    CHECK(d::TextHash(5).value() == d::hash_text(5, "", 0));
}

TEST_CASE("one rule's pairs sampled from the blocks of all rules are those of that rule's blocks alone") {
    // Keys as all_block_keys gives them: the rule in the key, a rule's own cap on some.
    std::vector<std::vector<d::BlockKey>> keys;
    for (std::uint64_t r = 0; r < 200; ++r) {
        const auto key = [](std::uint8_t rule, std::uint64_t k) {
            return (std::uint64_t{rule} << 56) | (k + 1);
        };
        keys.push_back(
            {{key(0, r % 3), r % 7, 0, 0}, {key(1, r % 17), 0, 0, 1}, {key(2, r % 2), r % 5, 12, 2}});
    }
    const d::Blocks all(keys, 40);
    std::size_t made = 0;
    for (int rule = 0; rule < 3; ++rule) {
        const d::Blocks alone(keys, 40, rule);
        CHECK(all.pairs_made(rule) == alone.stats().pairs_made);
        made += all.pairs_made(rule);
        for (const std::size_t max : {std::size_t{50}, std::size_t{100000}}) {
            CHECK(all.sample_pairs(max, rule) == alone.sample_pairs(max));
        }
    }
    CHECK(made == all.pairs_made());
    CHECK(all.pairs_made(3) == 0);  // no such rule
    // All rules but one: the sample the blocks without that rule's keys give.
    auto without_1 = keys;
    for (auto& k : without_1) k.erase(k.begin() + 1);
    const d::Blocks others(without_1, 40);
    for (const std::size_t max : {std::size_t{50}, std::size_t{100000}}) {
        const std::vector<int> skip = {1};
        CHECK(all.sample_pairs(max, d::all_rules, skip) == others.sample_pairs(max));
    }
}

TEST_CASE("parallel_sort sorts as std::sort does, in slices and merged") {
    // Enough items for four slices; keys repeat (5,000 values), the index tells items apart.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> items;
    std::uint64_t x = 88172645463325252ull;
    for (std::uint32_t i = 0; i < 300000; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        items.emplace_back(static_cast<std::uint32_t>(x % 5000), i);
    }
    auto expected = items;
    std::sort(expected.begin(), expected.end());
    for (const unsigned threads : {1u, 2u, 3u, 4u}) {
        auto sorted = items;
        d::parallel_sort(sorted.begin(), sorted.end(), std::less<>{}, threads);
        CHECK(sorted == expected);
    }
    std::vector<int> few = {3, 1, 2};
    d::parallel_sort(few.begin(), few.end(), std::less<>{}, 2);
    CHECK(few == std::vector<int>{1, 2, 3});
}

}  // TEST_SUITE("dedup.block")
