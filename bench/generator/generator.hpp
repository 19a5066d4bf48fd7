#pragma once

#include <array>
#include <cstdint>
#include <filesystem>

#include "calendar.hpp"
#include "knobs.hpp"

namespace qreg::gen {

struct Options {
    std::filesystem::path out_dir;
    std::uint64_t people = 0;         // stop after this many people ...
    std::uint64_t exact_ba = 0;       // ... or after exactly this many BA rows ...
    std::uint64_t exact_records = 0;  // ... or this many rows over the selected formats
    std::uint64_t seed = 1;
    std::array<bool, 3> formats{true, true, true};  // ba, jobcenter, bamf
    bool ba_cp1252 = true;
    Date stand_date{2026, 11, 20};
    std::size_t shuffle_window = 4096;
    bool progress = false;
    Knobs knobs;
};

struct Summary {
    std::uint64_t people = 0;
    std::uint64_t households = 0;
    std::array<std::uint64_t, 3> rows{};       // lines/elements written, old versions included
    std::array<std::uint64_t, 3> records{};    // distinct record keys (= truth rows)
    std::array<std::uint64_t, 3> retracted{};  // of those, retracted
};

// Writes the selected exports and truth.csv into options.out_dir, person by person.
// Memory stays bounded by the shuffle window. Throws std::runtime_error on I/O errors.
Summary generate(const Options& options);

}  // namespace qreg::gen
