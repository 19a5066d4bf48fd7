#pragma once

#include <array>
#include <cstdint>

namespace qreg::gen {

// SplitMix64 step: seeds the generators and mixes keys.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

constexpr std::uint64_t mix64(std::uint64_t x) {
    std::uint64_t state = x;
    return splitmix64(state);
}

// xoshiro256**. The std distributions are not used anywhere: their output differs between
// standard libraries, and the same seed must give the same bytes everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        for (auto& word : s_) word = splitmix64(seed);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n); n > 0. Multiply-shift on 32 bits: bias below 2^-32 * n.
    std::uint32_t below(std::uint32_t n) {
        return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
    }
    // Uniform in [0, n) for large n (ids); modulo bias below n / 2^64.
    std::uint64_t below64(std::uint64_t n) { return next() % n; }
    // Uniform in [lo, hi], inclusive.
    int range(int lo, int hi) {
        return lo + static_cast<int>(below(static_cast<std::uint32_t>(hi - lo + 1)));
    }
    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    template <class Array>
    const auto& pick(const Array& items) {
        return items[below(static_cast<std::uint32_t>(std::size(items)))];
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    std::array<std::uint64_t, 4> s_{};
};

// A keyed bijection of [0, n): a 4-round Feistel network on the smallest even number of bits
// that covers n, with cycle walking. Turns a counter into a random-looking id that is
// unique without a table of issued ids.
class Permutation {
public:
    Permutation(std::uint64_t n, std::uint64_t key) : n_(n) {
        int bits = 2;
        while (bits < 64 && (std::uint64_t{1} << bits) < n) bits += 2;
        half_bits_ = bits / 2;
        mask_ = (std::uint64_t{1} << half_bits_) - 1;
        for (auto& k : keys_) k = splitmix64(key);
    }

    [[nodiscard]] std::uint64_t size() const { return n_; }

    // x is taken modulo n: past n ids the sequence repeats (documented limit).
    [[nodiscard]] std::uint64_t operator()(std::uint64_t x) const {
        x %= n_;
        do {
            x = encrypt(x);
        } while (x >= n_);
        return x;
    }

private:
    [[nodiscard]] std::uint64_t encrypt(std::uint64_t x) const {
        std::uint64_t left = x >> half_bits_;
        std::uint64_t right = x & mask_;
        for (const auto k : keys_) {
            const std::uint64_t next_right = left ^ (mix64(right ^ k) & mask_);
            left = right;
            right = next_right;
        }
        return (left << half_bits_) | right;
    }

    std::uint64_t n_;
    int half_bits_ = 1;
    std::uint64_t mask_ = 1;
    std::array<std::uint64_t, 4> keys_{};
};

}  // namespace qreg::gen
