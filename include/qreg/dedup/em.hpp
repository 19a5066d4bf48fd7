#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

// Fellegi–Sunter parameters and their unsupervised estimation by expectation–maximisation.
// A comparison vector holds, per field, the index of the level the pair reached, or `missing`
// when either side lacks the field (a missing field contributes no evidence).
namespace qreg::dedup {

inline constexpr std::int8_t missing_level = -1;

struct FieldParameters {
    std::string name;
    std::vector<std::string> levels;  // level 0 is the strongest agreement
    std::vector<double> m;            // P(level | same person)
    std::vector<double> u;            // P(level | different people)
    bool fixed = false;               // keep m and u as configured (not re-estimated)
};

struct FsParameters {
    std::vector<FieldParameters> fields;
    double prior = 0.001;  // P(same person) among the compared pairs
};

// A distinct comparison vector and how many candidate pairs showed it.
struct Pattern {
    std::vector<std::int8_t> levels;
    std::uint64_t count = 0;
};

struct EmOptions {
    int max_iterations = 200;
    double tolerance = 1e-7;        // stop when no parameter moves more than this
    double floor = 1e-6;            // keep probabilities off 0 and 1
    bool estimate_prior = true;
    // Keep every field's u as given: u estimated from random record pairs (nearly all of them
    // different people) is more reliable than EM's, which can mistake households or common
    // names for the "same person" class among blocked pairs.
    bool fix_u = false;
    // Keep every field's m as given: with m estimated from pairs whose own blocking fields are
    // left out, EM then only estimates u and the prior, and the "same person" class cannot
    // drift to something else that blocked pairs share (a household, a town).
    bool fix_m = false;
};

struct EmResult {
    FsParameters parameters;
    int iterations = 0;
    bool converged = false;
};

// Groups identical comparison vectors; EM then runs over distinct patterns only.
[[nodiscard]] std::vector<Pattern> count_patterns(std::span<const std::vector<std::int8_t>> vectors);

// Estimates m, u and the prior from unlabelled comparison patterns, starting from `start`
// (whose level layout defines the fields). Fields marked fixed keep their m and u.
[[nodiscard]] EmResult estimate_em(std::span<const Pattern> patterns, const FsParameters& start,
                                   const EmOptions& options = {});

// Makes a field's weights plausible: the strongest agreement level weighs at least `margin`
// bits for, the weakest (full disagreement) at least `margin` bits against, and no level weighs
// more than a stronger one. Moves m (u stays as estimated); returns whether anything changed.
// A field with a single level is left as it is.
bool make_weights_ordered(FieldParameters& field, double margin = 0.5);

// log2(m/u) of one field at one level: the match weight it contributes.
[[nodiscard]] double level_weight(const FieldParameters& field, std::int8_t level);

// Posterior probability that a pair with total match weight `weight` (sum of level weights,
// excluding the prior) is the same person.
[[nodiscard]] double match_probability(double prior, double weight);

}  // namespace qreg::dedup
