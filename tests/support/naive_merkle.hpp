#pragma once

// An independent, naive transcription of RFC 6962 §2.1 for tests: recursive, over leaf data,
// hashing with OpenSSL's one-shot digest (not qreg's code).
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace qreg::test {

using NaiveHash = std::array<std::uint8_t, 32>;

inline NaiveHash naive_sha256(const std::string& bytes) {
    NaiveHash out{};
    if (EVP_Digest(bytes.data(), bytes.size(), out.data(), nullptr, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("EVP_Digest failed");
    }
    return out;
}

inline std::string naive_bytes(const NaiveHash& h) { return std::string(h.begin(), h.end()); }

struct NaiveMerkle {
    std::vector<std::string> data;  // leaf data

    static std::size_t k_for(std::size_t n) {
        std::size_t k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }
    NaiveHash leaf(std::size_t i) const { return naive_sha256(std::string(1, '\0') + data[i]); }
    NaiveHash mth(std::size_t b, std::size_t e) const {
        const auto n = e - b;
        if (n == 0) return naive_sha256("");
        if (n == 1) return leaf(b);
        const auto k = k_for(n);
        return naive_sha256("\x01" + naive_bytes(mth(b, b + k)) + naive_bytes(mth(b + k, e)));
    }
    // PATH(m, D[b:e])
    std::vector<NaiveHash> path(std::size_t m, std::size_t b, std::size_t e) const {
        const auto n = e - b;
        if (n == 1) return {};
        const auto k = k_for(n);
        std::vector<NaiveHash> out;
        if (m < k) {
            out = path(m, b, b + k);
            out.push_back(mth(b + k, e));
        } else {
            out = path(m - k, b + k, e);
            out.push_back(mth(b, b + k));
        }
        return out;
    }
    // SUBPROOF(m, D[b:e], whole)
    std::vector<NaiveHash> subproof(std::size_t m, std::size_t b, std::size_t e, bool whole) const {
        const auto n = e - b;
        if (m == n) return whole ? std::vector<NaiveHash>{} : std::vector<NaiveHash>{mth(b, e)};
        const auto k = k_for(n);
        std::vector<NaiveHash> out;
        if (m <= k) {
            out = subproof(m, b, b + k, whole);
            out.push_back(mth(b + k, e));
        } else {
            out = subproof(m - k, b + k, e, false);
            out.push_back(mth(b, b + k));
        }
        return out;
    }
};

}  // namespace qreg::test
