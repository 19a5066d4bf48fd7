#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace qreg {

// Fixed-width little-endian numbers in byte strings: the stored match summaries (dedup) and the
// match index's group tables (registry) are written and read with these.

// Appends the `bytes` low bytes of `v`, least significant first.
inline void put_le(std::string& out, std::uint64_t v, std::size_t bytes) {
    std::array<char, 8> le{};
    for (std::size_t i = 0; i < bytes && i < le.size(); ++i) {
        le[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    }
    out.append(le.data(), bytes < le.size() ? bytes : le.size());
}

// The number in `bytes` bytes of `in` from `at` (the caller checks the size).
inline std::uint64_t get_le(std::string_view in, std::size_t at, std::size_t bytes = 8) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
        v |= std::uint64_t{static_cast<unsigned char>(in[at + i])} << (8 * i);
    }
    return v;
}

}  // namespace qreg
