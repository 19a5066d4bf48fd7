#include "audit/merkle.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "qreg/error.hpp"
#include "support/naive_merkle.hpp"

namespace audit = qreg::audit;
using audit::Hash;

namespace {

using Naive = qreg::test::NaiveMerkle;

Naive make_tree(std::size_t n) {
    Naive t;
    for (std::size_t i = 0; i < n; ++i) t.data.push_back("entry " + std::to_string(i * 7919));
    return t;
}

std::vector<Hash> leaf_hashes(const Naive& t) {
    std::vector<Hash> out;
    for (const auto& d : t.data) out.push_back(audit::leaf_hash(d));
    return out;
}

Hash flipped(Hash h) {
    h[5] ^= 0x20;
    return h;
}

const std::vector<std::size_t> sizes = [] {
    std::vector<std::size_t> out;
    for (std::size_t n = 1; n <= 40; ++n) out.push_back(n);
    for (const std::size_t n : {63, 64, 65, 100, 127, 128, 129, 255, 257, 1000, 1023, 1025}) {
        out.push_back(n);
    }
    return out;
}();

}  // namespace

TEST_SUITE("audit.merkle") {

TEST_CASE("roots match the Certificate Transparency reference vectors") {
    // certificate-transparency-go merkletree tests: eight leaves, the root of each prefix
    const std::vector<std::string> leaves = {
        "", std::string(1, '\0'), "\x10", "\x20\x21", "\x30\x31", "\x40\x41\x42\x43",
        "\x50\x51\x52\x53\x54\x55\x56\x57",
        "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
    const std::vector<std::string> roots = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
    audit::TreeBuilder tree;
    for (std::size_t i = 0; i < leaves.size(); ++i) {
        tree.append(audit::leaf_hash(leaves[i]));
        CHECK(audit::to_hex(tree.root()) == roots[i]);
    }
    CHECK(audit::to_hex(audit::empty_tree_hash()) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(audit::root_hash({}) == audit::empty_tree_hash());
}

TEST_CASE("the streaming root equals the recursive MTH at every size") {
    const auto t = make_tree(1025);
    const auto leaves = leaf_hashes(t);
    audit::TreeBuilder tree;
    for (std::size_t n = 1; n <= leaves.size(); ++n) {
        tree.append(leaves[n - 1]);
        INFO("size " << n);
        REQUIRE(tree.root() == t.mth(0, n));
        CHECK(tree.frontier().size() == static_cast<std::size_t>(__builtin_popcountll(n)));
    }
    CHECK(audit::root_hash(leaves) == t.mth(0, leaves.size()));
}

TEST_CASE("a tree resumed from its frontier goes on as if never stopped") {
    const auto t = make_tree(77);
    const auto leaves = leaf_hashes(t);
    audit::TreeBuilder first;
    for (std::size_t i = 0; i < 45; ++i) first.append(leaves[i]);
    audit::TreeBuilder resumed(first.size(), first.frontier());
    for (std::size_t i = 45; i < leaves.size(); ++i) resumed.append(leaves[i]);
    CHECK(resumed.root() == t.mth(0, 77));
    CHECK_THROWS_WITH_AS(audit::TreeBuilder(47, first.frontier()),
                         doctest::Contains("frontier does not match"), qreg::Error);
}

TEST_CASE("inclusion paths equal RFC 6962 PATH and verify, altered ones do not") {
    for (const auto n : sizes) {
        const auto t = make_tree(n);
        const auto leaves = leaf_hashes(t);
        const auto root = t.mth(0, n);
        const std::size_t step = n > 200 ? 37 : 1;
        for (std::size_t m = 0; m < n; m += step) {
            INFO("size " << n << " leaf " << m);
            const auto path = audit::inclusion_path(m, leaves);
            REQUIRE(path == t.path(m, 0, n));
            CHECK(audit::verify_inclusion(m, n, leaves[m], path, root));

            CHECK_FALSE(audit::verify_inclusion(m, n, flipped(leaves[m]), path, root));
            CHECK_FALSE(audit::verify_inclusion(m, n, leaves[m], path, flipped(root)));
            CHECK_FALSE(audit::verify_inclusion(n, n, leaves[m], path, root));
            if (n > 1) CHECK_FALSE(audit::verify_inclusion((m + 1) % n, n, leaves[m], path, root));
            auto longer = path;
            longer.push_back(root);
            CHECK_FALSE(audit::verify_inclusion(m, n, leaves[m], longer, root));
            if (!path.empty()) {
                auto bad = path;
                bad.back() = flipped(bad.back());
                CHECK_FALSE(audit::verify_inclusion(m, n, leaves[m], bad, root));
                bad = path;
                bad.pop_back();
                CHECK_FALSE(audit::verify_inclusion(m, n, leaves[m], bad, root));
            }
        }
    }
}

TEST_CASE("consistency proofs equal RFC 6962 PROOF and verify, altered ones do not") {
    for (const auto n : sizes) {
        const auto t = make_tree(n);
        const auto leaves = leaf_hashes(t);
        const auto new_root = t.mth(0, n);
        const std::size_t step = n > 200 ? 41 : 1;
        for (std::size_t m = 1; m <= n; m += step) {
            INFO("sizes " << m << " -> " << n);
            const auto old_root = t.mth(0, m);
            const auto proof = audit::consistency_path(m, leaves);
            REQUIRE(proof == t.subproof(m, 0, n, true));
            CHECK(audit::verify_consistency(m, n, old_root, new_root, proof));

            CHECK_FALSE(audit::verify_consistency(m, n, flipped(old_root), new_root, proof));
            CHECK_FALSE(audit::verify_consistency(m, n, old_root, flipped(new_root), proof));
            if (m < n) {
                CHECK_FALSE(audit::verify_consistency(m, n, old_root, new_root, {}));
                auto bad = proof;
                bad.front() = flipped(bad.front());
                CHECK_FALSE(audit::verify_consistency(m, n, old_root, new_root, bad));
                bad = proof;
                bad.push_back(new_root);
                CHECK_FALSE(audit::verify_consistency(m, n, old_root, new_root, bad));
            }
        }
        CHECK_FALSE(audit::verify_consistency(0, n, audit::empty_tree_hash(), new_root, {}));
    }
}

TEST_CASE("proofs read the tree in O(log n) disjoint ranges covering it once") {
    const auto t = make_tree(1000);
    const auto leaves = leaf_hashes(t);
    for (const auto& [first, leaf] : {std::pair<std::uint64_t, std::uint64_t>{1, 0}, {617, 616},
                                      {512, 999}}) {
        std::uint64_t calls = 0, covered = 0;
        const audit::RangeHash counted = [&](std::uint64_t b, std::uint64_t e) {
            ++calls;
            covered += e - b;
            return audit::root_hash(std::span<const Hash>(leaves).subspan(b, e - b));
        };
        CHECK(audit::inclusion_path(leaf, 1000, counted) == t.path(leaf, 0, 1000));
        CHECK(calls <= 10);
        CHECK(covered == 999);
        calls = covered = 0;
        CHECK(audit::consistency_path(first, 1000, counted) == t.subproof(first, 0, 1000, true));
        CHECK(calls <= 11);
        CHECK(covered <= 1000);
    }
}

TEST_CASE("proofs outside the tree are refused") {
    const auto leaves = leaf_hashes(make_tree(5));
    CHECK_THROWS_WITH_AS((void)audit::inclusion_path(5, leaves), doctest::Contains("outside the tree"),
                         qreg::Error);
    CHECK_THROWS_AS((void)audit::consistency_path(0, leaves), qreg::Error);
    CHECK_THROWS_AS((void)audit::consistency_path(6, leaves), qreg::Error);
    CHECK(audit::consistency_path(5, leaves).empty());
}

TEST_CASE("hashes read back from hex and anything else is refused") {
    const auto h = audit::leaf_hash("x");
    CHECK(audit::hash_from_hex(audit::to_hex(h)) == h);
    auto upper = audit::to_hex(h);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(audit::hash_from_hex(upper) == h);
    CHECK_FALSE(audit::hash_from_hex(audit::to_hex(h).substr(2)));
    CHECK_FALSE(audit::hash_from_hex(audit::to_hex(h).replace(0, 1, "g")));
    CHECK(audit::bytes_from_hex("00ff") == std::string("\x00\xff", 2));
    CHECK_FALSE(audit::bytes_from_hex("abc"));
}

}  // TEST_SUITE("audit.merkle")
