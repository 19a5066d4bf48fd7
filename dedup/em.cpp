#include "qreg/dedup/em.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace qreg::dedup {

std::vector<Pattern> count_patterns(std::span<const std::vector<std::int8_t>> vectors) {
    std::map<std::vector<std::int8_t>, std::uint64_t> counts;
    for (const auto& v : vectors) ++counts[v];
    std::vector<Pattern> out;
    out.reserve(counts.size());
    for (auto& [levels, count] : counts) out.push_back({levels, count});
    return out;
}

double level_weight(const FieldParameters& field, std::int8_t level) {
    if (level < 0) return 0.0;
    const auto i = static_cast<std::size_t>(level);
    return std::log2(field.m[i] / field.u[i]);
}

bool make_weights_ordered(FieldParameters& field, double margin) {
    const std::size_t k = field.m.size();
    if (k < 2 || field.u.size() != k) return false;
    bool changed = false;
    const auto set_weight = [&](std::size_t l, double w) {
        field.m[l] = field.u[l] * std::exp2(w);
        changed = true;
    };
    if (level_weight(field, 0) < margin) set_weight(0, margin);
    for (std::size_t l = 1; l < k; ++l) {
        const double stronger = level_weight(field, static_cast<std::int8_t>(l - 1));
        if (level_weight(field, static_cast<std::int8_t>(l)) > stronger) set_weight(l, stronger);
    }
    if (level_weight(field, static_cast<std::int8_t>(k - 1)) > -margin) set_weight(k - 1, -margin);
    return changed;
}

double match_probability(double prior, double weight) {
    const double prior_weight = std::log2(prior / (1.0 - prior));
    return 1.0 / (1.0 + std::exp2(-(prior_weight + weight)));
}

EmResult estimate_em(std::span<const Pattern> patterns, const FsParameters& start,
                     const EmOptions& options) {
    EmResult result{start, 0, false};
    auto& p = result.parameters;
    const std::size_t nf = p.fields.size();
    for (const auto& pat : patterns) {
        if (pat.levels.size() != nf) {
            throw std::invalid_argument("comparison pattern has a different field count than the model");
        }
    }
    const auto clamp = [&](double x) { return std::clamp(x, options.floor, 1.0 - options.floor); };
    std::vector<std::vector<double>> m_num(nf), u_num(nf);
    std::vector<double> m_den(nf), u_den(nf);

    for (result.iterations = 1; result.iterations <= options.max_iterations; ++result.iterations) {
        for (std::size_t f = 0; f < nf; ++f) {
            m_num[f].assign(p.fields[f].levels.size(), 0.0);
            u_num[f].assign(p.fields[f].levels.size(), 0.0);
            m_den[f] = u_den[f] = 0.0;
        }
        double total = 0.0, matched = 0.0;
        // E step: the posterior of "same person" for every pattern.
        for (const auto& pat : patterns) {
            double lm = std::log(p.prior), lu = std::log(1.0 - p.prior);
            for (std::size_t f = 0; f < nf; ++f) {
                const auto level = pat.levels[f];
                if (level < 0) continue;
                lm += std::log(p.fields[f].m[static_cast<std::size_t>(level)]);
                lu += std::log(p.fields[f].u[static_cast<std::size_t>(level)]);
            }
            const double g = 1.0 / (1.0 + std::exp(lu - lm));
            const double n = static_cast<double>(pat.count);
            total += n;
            matched += g * n;
            for (std::size_t f = 0; f < nf; ++f) {
                const auto level = pat.levels[f];
                if (level < 0) continue;
                m_num[f][static_cast<std::size_t>(level)] += g * n;
                u_num[f][static_cast<std::size_t>(level)] += (1.0 - g) * n;
                m_den[f] += g * n;
                u_den[f] += (1.0 - g) * n;
            }
        }
        if (total == 0.0) break;
        // M step.
        double moved = 0.0;
        if (options.estimate_prior) {
            const double prior = clamp(matched / total);
            moved = std::max(moved, std::abs(prior - p.prior));
            p.prior = prior;
        }
        for (std::size_t f = 0; f < nf; ++f) {
            auto& field = p.fields[f];
            if (field.fixed) continue;
            for (std::size_t l = 0; l < field.levels.size(); ++l) {
                if (m_den[f] > 0 && !options.fix_m) {
                    const double m = clamp(m_num[f][l] / m_den[f]);
                    moved = std::max(moved, std::abs(m - field.m[l]));
                    field.m[l] = m;
                }
                if (u_den[f] > 0 && !options.fix_u) {
                    const double u = clamp(u_num[f][l] / u_den[f]);
                    moved = std::max(moved, std::abs(u - field.u[l]));
                    field.u[l] = u;
                }
            }
        }
        if (moved < options.tolerance) {
            result.converged = true;
            break;
        }
    }
    return result;
}

}  // namespace qreg::dedup
