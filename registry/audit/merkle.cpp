#include "merkle.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <bit>
#include <memory>

#include "openssl.hpp"
#include "qreg/error.hpp"

namespace qreg::audit {

namespace {

// One explicit fetch per process, and one context per thread: OpenSSL 3 looks the algorithm up
// again on every EVP_sha256() digest, which costs more than hashing a 65-byte node.
const EVP_MD* sha256_md() {
    static const ossl::Md md{EVP_MD_fetch(nullptr, "SHA256", nullptr)};
    if (!md) throw Error(ErrorCode::internal, "OpenSSL has no SHA-256");
    return md.get();
}

class Sha256 {
public:
    Sha256() : ctx_(EVP_MD_CTX_new()) {
        if (!ctx_) throw Error(ErrorCode::internal, "cannot allocate a SHA-256 context");
    }
    Sha256& begin() {
        if (EVP_DigestInit_ex2(ctx_.get(), sha256_md(), nullptr) != 1) fail();
        return *this;
    }
    Sha256& add(const void* data, std::size_t size) {
        if (EVP_DigestUpdate(ctx_.get(), data, size) != 1) fail();
        return *this;
    }
    Hash finish() {
        Hash out{};
        if (EVP_DigestFinal_ex(ctx_.get(), out.data(), nullptr) != 1) fail();
        return out;
    }

private:
    [[noreturn]] static void fail() { throw Error(ErrorCode::internal, "SHA-256 failed"); }
    ossl::MdCtx ctx_;
};

Sha256& hasher() {
    thread_local Sha256 h;
    return h.begin();
}

// k of RFC 6962: the largest power of two smaller than n, for n >= 2
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The position walk of RFC 9162's verification algorithms: fn is the node's index in its
// level, sn the last index of that level.
struct Walk {
    std::uint64_t fn;
    std::uint64_t sn;

    void up() {
        fn >>= 1;
        sn >>= 1;
    }
    // Step b: when fn is a right child or the last node of its level, the proof's next hash is
    // its left sibling, and the levels where fn has no right sibling are skipped.
    bool sibling_is_left() {
        if (!(fn & 1) && fn != sn) return false;
        while (!(fn & 1) && fn != 0) up();
        return true;
    }
};

// D[begin:end] on the way down from the root, keeping the hash of each part not entered.
struct Descent {
    std::uint64_t begin;
    std::uint64_t end;
    const RangeHash& range_hash;
    std::vector<Hash> siblings;  // from the root down

    [[nodiscard]] std::uint64_t split() const { return split_point(end - begin); }
    void enter_left() {
        const auto k = split();
        siblings.push_back(range_hash(begin + k, end));
        end = begin + k;
    }
    void enter_right() {
        const auto k = split();
        siblings.push_back(range_hash(begin, begin + k));
        begin += k;
    }
    // RFC 6962 lists proofs from the leaves up.
    std::vector<Hash> path() && {
        std::reverse(siblings.begin(), siblings.end());
        return std::move(siblings);
    }
};

RangeHash over(std::span<const Hash> leaves) {
    return [leaves](std::uint64_t begin, std::uint64_t end) {
        return root_hash(leaves.subspan(begin, end - begin));
    };
}

}  // namespace

Hash sha256(std::string_view bytes) { return hasher().add(bytes.data(), bytes.size()).finish(); }

Hash leaf_hash(std::string_view data) {
    constexpr std::uint8_t prefix = 0x00;
    return hasher().add(&prefix, 1).add(data.data(), data.size()).finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
    constexpr std::uint8_t prefix = 0x01;
    return hasher().add(&prefix, 1).add(left.data(), left.size()).add(right.data(), right.size()).finish();
}

Hash empty_tree_hash() { return sha256({}); }

std::string to_hex(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    return out;
}

std::string to_hex(const Hash& hash) { return to_hex(std::span<const std::uint8_t>(hash)); }

std::optional<std::string> bytes_from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<char>(hi * 16 + lo);
    }
    return out;
}

std::optional<Hash> hash_from_hex(std::string_view hex) {
    const auto bytes = bytes_from_hex(hex);
    if (!bytes || bytes->size() != Hash{}.size()) return std::nullopt;
    Hash out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

TreeBuilder::TreeBuilder(std::uint64_t size, std::vector<Hash> frontier)
    : size_(size), frontier_(std::move(frontier)) {
    if (frontier_.size() != static_cast<std::size_t>(std::popcount(size_))) {
        throw Error(ErrorCode::invalid_input, "Merkle frontier does not match the tree size");
    }
}

void TreeBuilder::append(const Hash& leaf) {
    // Each trailing 1-bit of the size is a perfect subtree as large as the one this leaf
    // completes: merge them, smallest first.
    Hash h = leaf;
    for (auto s = size_; s & 1; s >>= 1) {
        h = node_hash(frontier_.back(), h);
        frontier_.pop_back();
    }
    frontier_.push_back(h);
    ++size_;
}

Hash TreeBuilder::root() const {
    if (frontier_.empty()) return empty_tree_hash();
    // MTH splits at the largest power of two, so the right part folds first.
    Hash r = frontier_.back();
    for (auto i = frontier_.size() - 1; i-- > 0;) r = node_hash(frontier_[i], r);
    return r;
}

Hash root_hash(std::span<const Hash> leaves) {
    TreeBuilder tree;
    for (const auto& leaf : leaves) tree.append(leaf);
    return tree.root();
}

std::vector<Hash> inclusion_path(std::uint64_t index, std::uint64_t size,
                                 const RangeHash& range_hash) {
    if (index >= size) {
        throw Error(ErrorCode::invalid_input, "inclusion proof: the leaf index is outside the tree");
    }
    Descent down{0, size, range_hash, {}};
    std::uint64_t m = index;
    while (down.end - down.begin > 1) {
        const auto k = down.split();
        if (m < k) {
            down.enter_left();
        } else {
            down.enter_right();
            m -= k;
        }
    }
    return std::move(down).path();
}

std::vector<Hash> inclusion_path(std::uint64_t index, std::span<const Hash> leaves) {
    return inclusion_path(index, leaves.size(), over(leaves));
}

std::vector<Hash> consistency_path(std::uint64_t first, std::uint64_t second,
                                   const RangeHash& range_hash) {
    if (first == 0 || first > second) {
        throw Error(ErrorCode::invalid_input,
                    "consistency proof: needs 0 < first size <= second size");
    }
    // SUBPROOF(m, D[begin:end], whole)
    Descent down{0, second, range_hash, {}};
    std::uint64_t m = first;
    bool whole = true;  // b of RFC 6962: D[begin:end] is still the whole first tree's prefix
    while (m != down.end - down.begin) {
        const auto k = down.split();
        if (m <= k) {
            down.enter_left();
        } else {
            down.enter_right();
            m -= k;
            whole = false;
        }
    }
    if (!whole) down.siblings.push_back(range_hash(down.begin, down.end));
    return std::move(down).path();
}

std::vector<Hash> consistency_path(std::uint64_t first, std::span<const Hash> leaves) {
    return consistency_path(first, leaves.size(), over(leaves));
}

bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                      std::span<const Hash> path, const Hash& root) {
    if (index >= size) return false;
    Walk walk{index, size - 1};
    Hash r = leaf;
    for (const auto& p : path) {
        if (walk.sn == 0) return false;
        r = walk.sibling_is_left() ? node_hash(p, r) : node_hash(r, p);
        walk.up();
    }
    return walk.sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root,
                        const Hash& second_root, std::span<const Hash> path) {
    if (first == 0 || first > second) return false;
    if (first == second) return path.empty() && first_root == second_root;
    if (path.empty()) return false;
    std::vector<Hash> proof;
    if (std::has_single_bit(first)) proof.push_back(first_root);
    proof.insert(proof.end(), path.begin(), path.end());
    Walk walk{first - 1, second - 1};
    while (walk.fn & 1) walk.up();
    Hash fr = proof.front(), sr = proof.front();
    for (std::size_t i = 1; i < proof.size(); ++i) {
        const auto& c = proof[i];
        if (walk.sn == 0) return false;
        if (walk.sibling_is_left()) {
            fr = node_hash(c, fr);
            sr = node_hash(c, sr);
        } else {
            sr = node_hash(sr, c);
        }
        walk.up();
    }
    return fr == first_root && sr == second_root && walk.sn == 0;
}

}  // namespace qreg::audit
