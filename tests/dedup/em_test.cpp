#include "qreg/dedup/em.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

namespace d = qreg::dedup;

namespace {

// Three binary-ish fields with known m and u; pairs drawn from the mixture.
d::FsParameters truth() {
    d::FsParameters p;
    p.prior = 0.1;
    p.fields = {
        {"name", {"agree", "disagree"}, {0.95, 0.05}, {0.02, 0.98}, false},
        {"birth_date", {"exact", "year", "disagree"}, {0.85, 0.1, 0.05}, {0.01, 0.09, 0.90}, false},
        {"postcode", {"agree", "disagree"}, {0.7, 0.3}, {0.05, 0.95}, false},
        {"sex", {"agree", "disagree"}, {0.98, 0.02}, {0.5, 0.5}, false},
    };
    return p;
}

std::vector<std::vector<std::int8_t>> sample(const d::FsParameters& p, int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<std::vector<std::int8_t>> out;
    for (int i = 0; i < n; ++i) {
        const bool same = unit(rng) < p.prior;
        std::vector<std::int8_t> v;
        for (const auto& f : p.fields) {
            const auto& probs = same ? f.m : f.u;
            double x = unit(rng);
            std::int8_t level = 0;
            while (level + 1 < static_cast<int>(probs.size()) && x > probs[static_cast<std::size_t>(level)]) {
                x -= probs[static_cast<std::size_t>(level)];
                ++level;
            }
            v.push_back(level);
        }
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace

TEST_SUITE("dedup.em") {

TEST_CASE("EM recovers known m, u and prior from unlabelled pairs") {
    const auto known = truth();
    const auto vectors = sample(known, 200000, 7);
    const auto patterns = d::count_patterns(vectors);
    CHECK(patterns.size() <= 24);

    auto start = known;  // the same layout, deliberately vague starting values
    start.prior = 0.5;
    for (auto& f : start.fields) {
        const double k = static_cast<double>(f.levels.size());
        for (std::size_t l = 0; l < f.levels.size(); ++l) {
            f.m[l] = l == 0 ? 0.6 : 0.4 / (k - 1);
            f.u[l] = l == 0 ? 0.2 : 0.8 / (k - 1);
        }
    }
    const auto result = d::estimate_em(patterns, start);
    CHECK(result.converged);
    CHECK(result.parameters.prior == doctest::Approx(0.1).epsilon(0.05));
    for (std::size_t f = 0; f < known.fields.size(); ++f) {
        for (std::size_t l = 0; l < known.fields[f].levels.size(); ++l) {
            INFO("field " << known.fields[f].name << " level " << l);
            CHECK(std::abs(result.parameters.fields[f].m[l] - known.fields[f].m[l]) < 0.03);
            CHECK(std::abs(result.parameters.fields[f].u[l] - known.fields[f].u[l]) < 0.03);
        }
    }
}

TEST_CASE("a fixed field keeps its configured m and u") {
    auto start = truth();
    start.fields[3].fixed = true;
    start.fields[3].m = {0.9, 0.1};
    const auto result = d::estimate_em(d::count_patterns(sample(truth(), 20000, 3)), start);
    CHECK(result.parameters.fields[3].m[0] == 0.9);
}

TEST_CASE("with m held, EM recovers u and the prior and leaves m as given") {
    const auto known = truth();
    const auto patterns = d::count_patterns(sample(known, 200000, 11));
    auto start = known;  // m right, u and prior vague
    start.prior = 0.5;
    for (auto& f : start.fields) {
        const double k = static_cast<double>(f.levels.size());
        for (auto& u : f.u) u = 1.0 / k;
    }
    d::EmOptions options;
    options.fix_m = true;
    const auto result = d::estimate_em(patterns, start, options);
    CHECK(result.parameters.prior == doctest::Approx(0.1).epsilon(0.05));
    for (std::size_t f = 0; f < known.fields.size(); ++f) {
        INFO("field " << known.fields[f].name);
        CHECK(result.parameters.fields[f].m == known.fields[f].m);
        for (std::size_t l = 0; l < known.fields[f].levels.size(); ++l) {
            CHECK(std::abs(result.parameters.fields[f].u[l] - known.fields[f].u[l]) < 0.02);
        }
    }
}

TEST_CASE("weights are put in order: agreement for, disagreement against, no level above a stronger one") {
    d::FieldParameters f{"birth_date", {"exact", "compatible", "near", "disagree"},
                         {0.5, 0.1, 0.3, 0.1}, {0.6, 0.2, 0.1, 0.1}, false};
    CHECK(d::make_weights_ordered(f, 0.5));
    CHECK(d::level_weight(f, 0) == doctest::Approx(0.5));    // was log2(0.5/0.6) < 0
    CHECK(d::level_weight(f, 1) <= d::level_weight(f, 0));  // -1 bit: stays
    CHECK(d::level_weight(f, 1) == doctest::Approx(-1.0));
    CHECK(d::level_weight(f, 2) == doctest::Approx(-1.0));   // was +1.58, above "compatible"
    CHECK(d::level_weight(f, 3) == doctest::Approx(-1.0));   // was 0: at most -0.5, and below "near"
    CHECK(f.u == std::vector<double>{0.6, 0.2, 0.1, 0.1});   // u is left as estimated

    d::FieldParameters fine{"sex", {"agree", "disagree"}, {0.98, 0.02}, {0.5, 0.5}, false};
    const auto before = fine;
    CHECK_FALSE(d::make_weights_ordered(fine, 0.5));
    CHECK(fine.m == before.m);
}

TEST_CASE("a missing level contributes no evidence") {
    const auto p = truth();
    CHECK(d::level_weight(p.fields[0], d::missing_level) == 0.0);
    CHECK(d::level_weight(p.fields[0], 0) > 5.0);
    CHECK(d::level_weight(p.fields[0], 1) < -4.0);
}

TEST_CASE("match probability grows with the weight and is one half where weight meets the prior") {
    CHECK(d::match_probability(0.5, 0.0) == doctest::Approx(0.5));
    CHECK(d::match_probability(0.01, 20.0) > 0.99);
    CHECK(d::match_probability(0.01, -5.0) < 0.001);
}

}  // TEST_SUITE("dedup.em")
