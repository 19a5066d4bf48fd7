#include "qreg/dedup/engine.hpp"

#include <algorithm>
#include <functional>
#include <thread>
#include <unordered_map>

namespace qreg::dedup {

namespace {

// Runs fn(begin, end, worker) over [0, n) split into `threads` contiguous parts.
void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t, std::size_t, unsigned)>& fn) {
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, n / 1000))));
    if (threads == 1) {
        fn(0, n, 0);
        return;
    }
    std::vector<std::thread> workers;
    const std::size_t step = (n + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
        const std::size_t begin = std::min(n, t * step), end = std::min(n, begin + step);
        workers.emplace_back(fn, begin, end, t);
    }
    for (auto& w : workers) w.join();
}

struct LevelsHash {
    std::size_t operator()(const Levels& l) const noexcept {
        std::uint64_t h = 1469598103934665603ull;
        for (const auto v : l) {
            h ^= static_cast<std::uint8_t>(v);
            h *= 1099511628211ull;
        }
        return static_cast<std::size_t>(h);
    }
};

}  // namespace

std::uint64_t fingerprint(const RecordFeatures& r) {
    std::string text;
    for (const auto& t : r.names()) {
        text += r.text(t);
        text += static_cast<char>('0' + static_cast<int>(t.field));
        text += ' ';
    }
    text += std::to_string(r.birth().year) + "-" + std::to_string(r.birth().month) + "-" +
            std::to_string(r.birth().day) + (r.birth().is_placeholder ? "p" : "") + "|";
    text += std::to_string(static_cast<int>(r.sex())) + "|";
    text += r.birthplace();
    text += "|" + to_string(r.birth_country()) + "|";
    for (std::uint8_t i = 0; i < r.nationalities().size; ++i) text += to_string(r.nationalities().codes[i]);
    for (const auto s : {r.postcode(), r.town(), r.street(), r.house_number(), r.address_extra(),
                         r.region(), r.ba_customer_number(), r.bamf_file_number(), r.azr_number(),
                         r.other_id(), r.bg_number()}) {
        text += '|';
        text += s;
    }
    return hash_text(7, text.data(), text.size());
}

std::vector<std::vector<BlockKey>> all_block_keys(std::span<const RecordFeatures> records,
                                                  const MatchSettings& settings) {
    std::vector<std::vector<BlockKey>> keys(records.size());
    parallel_for(records.size(), settings.threads, [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) keys[i] = block_keys(records[i], settings.blocking);
    });
    return keys;
}

Candidates find_candidates(std::span<const std::vector<BlockKey>> keys, const MatchSettings& settings) {
    auto found = candidate_pairs(keys, settings.max_block);
    return {std::move(found.pairs), found.stats};
}

Candidates find_candidates(std::span<const RecordFeatures> records, const MatchSettings& settings) {
    return find_candidates(all_block_keys(records, settings), settings);
}

PairScore score_pair(const MatchSettings& settings, const NameFrequencies& tf, const RecordFeatures& a,
                     const RecordFeatures& b) {
    const auto c = compare(a, b, settings.score.enabled);
    const double adjustment =
        name_tf_adjustment(settings.score, tf, a, b, c.levels[static_cast<std::size_t>(FieldId::name)]);
    return {total_weight(settings.score, c, adjustment), c.conflict};
}

FsParameters estimate_u(std::span<const RecordFeatures> records, const MatchSettings& settings,
                        std::size_t samples) {
    auto p = settings.score.parameters;
    const std::size_t n = records.size();
    if (n < 2) return p;
    samples = std::min<std::size_t>(samples, n * (n - 1) / 2);
    std::vector<std::vector<std::vector<double>>> counts(
        std::max(1u, settings.threads), std::vector<std::vector<double>>(field_count));
    for (auto& per_thread : counts) {
        for (std::size_t f = 0; f < field_count; ++f) per_thread[f].assign(p.fields[f].levels.size(), 0.0);
    }
    parallel_for(samples, settings.threads, [&](std::size_t b, std::size_t e, unsigned t) {
        std::uint64_t state = 0x9E3779B97F4A7C15ull ^ (b * 0xBF58476D1CE4E5B9ull);
        const auto next = [&] {  // splitmix64: deterministic for a given split
            state += 0x9E3779B97F4A7C15ull;
            std::uint64_t z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            return z ^ (z >> 31);
        };
        for (std::size_t i = b; i < e; ++i) {
            const auto x = static_cast<std::size_t>(next() % n);
            auto y = static_cast<std::size_t>(next() % (n - 1));
            if (y >= x) ++y;
            const auto c = compare(records[x], records[y], settings.score.enabled);
            for (std::size_t f = 0; f < field_count; ++f) {
                if (c.levels[f] >= 0) counts[t][f][static_cast<std::size_t>(c.levels[f])] += 1.0;
            }
        }
    });
    for (std::size_t f = 0; f < field_count; ++f) {
        std::vector<double> total(p.fields[f].levels.size(), 0.0);
        double sum = 0.0;
        for (const auto& per_thread : counts) {
            for (std::size_t l = 0; l < total.size(); ++l) {
                total[l] += per_thread[f][l];
                sum += per_thread[f][l];
            }
        }
        if (sum < 100.0) continue;  // too little evidence: keep the configured u
        for (std::size_t l = 0; l < total.size(); ++l) {
            // Laplace smoothing keeps an unseen level off zero.
            p.fields[f].u[l] = (total[l] + 0.5) / (sum + 0.5 * static_cast<double>(total.size()));
        }
    }
    return p;
}

EmResult train(std::span<const RecordFeatures> records, const Candidates& candidates,
               const MatchSettings& settings) {
    const auto& pairs = candidates.pairs;
    std::vector<std::unordered_map<Levels, std::uint64_t, LevelsHash>> counts(std::max(1u, settings.threads));
    parallel_for(pairs.size(), settings.threads, [&](std::size_t b, std::size_t e, unsigned t) {
        auto& local = counts[t];
        for (std::size_t i = b; i < e; ++i) {
            const auto c = compare(records[pair_first(pairs[i])], records[pair_second(pairs[i])],
                                   settings.score.enabled);
            ++local[c.levels];
        }
    });
    for (std::size_t t = 1; t < counts.size(); ++t) {
        for (const auto& [levels, n] : counts[t]) counts[0][levels] += n;
    }
    std::vector<Pattern> patterns;
    for (const auto& [levels, n] : counts[0]) {
        patterns.push_back({std::vector<std::int8_t>(levels.begin(), levels.end()), n});
    }
    std::sort(patterns.begin(), patterns.end(),
              [](const Pattern& a, const Pattern& b) { return a.levels < b.levels; });
    // u from random pairs is EM's starting point. Holding it fixed made EM put nearly every
    // blocked pair in the "same person" class (blocked pairs agree on the blocking fields far
    // more often than random ones), so EM re-estimates u as well.
    const auto start = estimate_u(records, settings, settings.u_samples);
    return estimate_em(patterns, start, settings.em);
}

NameFrequencies name_frequencies(std::span<const RecordFeatures> records) {
    NameFrequencies tf;
    for (const auto& r : records) tf.add(r);
    return tf;
}

LinkResult link(std::span<const RecordFeatures> records, const Candidates& candidates,
                const MatchSettings& settings, const NameFrequencies& tf, const Constraints& constraints) {
    const auto& pairs = candidates.pairs;
    const auto score = [&](std::uint32_t a, std::uint32_t b) {
        return score_pair(settings, tf, records[a], records[b]);
    };
    // Pairs far below the review weight cannot link or be reviewed: only the others are kept
    // (per worker, in pair order: a large registry has tens of millions of candidate pairs).
    std::vector<std::vector<ScoredPair>> kept(std::max(1u, settings.threads));
    parallel_for(pairs.size(), settings.threads, [&](std::size_t b, std::size_t e, unsigned t) {
        for (std::size_t i = b; i < e; ++i) {
            const auto a = pair_first(pairs[i]), c = pair_second(pairs[i]);
            const auto s = score(a, c);
            if (s.weight >= settings.cluster.review_weight) kept[t].push_back({a, c, s.weight, s.conflict});
        }
    });
    std::vector<ScoredPair> scored = std::move(kept[0]);
    for (std::size_t t = 1; t < kept.size(); ++t) {
        scored.insert(scored.end(), kept[t].begin(), kept[t].end());
        kept[t] = {};
    }
    LinkResult out;
    out.pairs_scored = pairs.size();
    out.clustering = cluster(static_cast<std::uint32_t>(records.size()), std::move(scored), score,
                             settings.cluster, constraints);
    return out;
}

}  // namespace qreg::dedup
