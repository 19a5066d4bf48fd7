#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Merkle tree hashing as in Certificate Transparency (RFC 6962 §2.1, RFC 9162 §2.1): pure code,
// no I/O. Leaves are numbered from 0; a tree of size n holds leaves 0 .. n-1.
namespace qreg::audit {

using Hash = std::array<std::uint8_t, 32>;

[[nodiscard]] Hash sha256(std::string_view bytes);
// SHA-256(0x00 || data)
[[nodiscard]] Hash leaf_hash(std::string_view data);
// SHA-256(0x01 || left || right)
[[nodiscard]] Hash node_hash(const Hash& left, const Hash& right);
// MTH({}) = SHA-256 of the empty string
[[nodiscard]] Hash empty_tree_hash();

[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::string to_hex(const Hash& hash);
// nullopt unless exactly 64 hex digits
[[nodiscard]] std::optional<Hash> hash_from_hex(std::string_view hex);
[[nodiscard]] std::optional<std::string> bytes_from_hex(std::string_view hex);

// Streaming MTH over leaf hashes in O(log n) memory: the frontier holds the roots of the perfect
// subtrees the leaves so far make, largest (leftmost) first, one per 1-bit of size().
class TreeBuilder {
public:
    TreeBuilder() = default;
    // Resumes from a stored frontier; throws Error{invalid_input} when its length does not
    // match `size` (one hash per 1-bit).
    TreeBuilder(std::uint64_t size, std::vector<Hash> frontier);

    void append(const Hash& leaf);
    [[nodiscard]] std::uint64_t size() const { return size_; }
    [[nodiscard]] Hash root() const;
    [[nodiscard]] const std::vector<Hash>& frontier() const { return frontier_; }

private:
    std::uint64_t size_ = 0;
    std::vector<Hash> frontier_;
};

// MTH(D[n]) over leaf hashes.
[[nodiscard]] Hash root_hash(std::span<const Hash> leaves);

// MTH(D[begin:end]) for 0 <= begin < end <= n: how proof generation reads the tree, so that the
// leaves can stay in storage. Every call covers a range disjoint from the others of one proof,
// so a proof costs O(n) hashing and O(log n) calls.
using RangeHash = std::function<Hash(std::uint64_t begin, std::uint64_t end)>;

// PATH(m, D[n]) of RFC 6962 §2.1.1 for leaf index m < n; throws Error{invalid_input} otherwise.
[[nodiscard]] std::vector<Hash> inclusion_path(std::uint64_t index, std::uint64_t size,
                                               const RangeHash& range_hash);
[[nodiscard]] std::vector<Hash> inclusion_path(std::uint64_t index, std::span<const Hash> leaves);

// PROOF(m, D[n]) of RFC 6962 §2.1.2 for 0 < m <= n (empty for m == n); throws
// Error{invalid_input} otherwise.
[[nodiscard]] std::vector<Hash> consistency_path(std::uint64_t first, std::uint64_t second,
                                                 const RangeHash& range_hash);
[[nodiscard]] std::vector<Hash> consistency_path(std::uint64_t first, std::span<const Hash> leaves);

// RFC 9162 §2.1.3.2: true when `path` proves leaf `index` with hash `leaf` in the tree of
// `size` with root `root`.
[[nodiscard]] bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                                    std::span<const Hash> path, const Hash& root);

// RFC 9162 §2.1.4.2 for 0 < first < second; first == second holds with an empty path when the
// roots are equal. Anything else (first == 0, first > second) is false.
[[nodiscard]] bool verify_consistency(std::uint64_t first, std::uint64_t second,
                                      const Hash& first_root, const Hash& second_root,
                                      std::span<const Hash> path);

}  // namespace qreg::audit
