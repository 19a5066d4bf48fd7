#include "qreg/dedup/engine.hpp"

#include "qreg/dedup/parallel_for.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <optional>
#include <thread>
#include <unordered_map>

namespace qreg::dedup {

namespace {

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
    std::vector<std::uint32_t> caps(settings.blocking.size(), 0);
    for (std::size_t r = 0; r < caps.size(); ++r) {
        for (const auto& [rule, cap] : settings.rule_max_block) {
            if (rule == settings.blocking[r]) caps[r] = static_cast<std::uint32_t>(cap);
        }
    }
    parallel_for(records.size(), settings.threads, [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) keys[i] = block_keys(records[i], settings.blocking, caps);
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

Blocks make_blocks(std::span<const RecordFeatures> records, const MatchSettings& settings) {
    return Blocks(all_block_keys(records, settings), settings.max_block);
}

PairScore score_pair(const MatchSettings& settings, const NameFrequencies& tf, const RecordFeatures& a,
                     const RecordFeatures& b) {
    const auto c = compare(a, b, settings.score.enabled);
    const double adjustment =
        pair_tf_adjustment(settings.score, tf, a, b, name_rarity(tf, a), name_rarity(tf, b), c);
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

namespace {

// The fields on which every pair a rule finds agrees by construction.
FieldMask blocked_fields(BlockRule rule) {
    FieldMask out{};
    const auto set = [&](FieldId f) { out[static_cast<std::size_t>(f)] = true; };
    switch (rule) {
        case BlockRule::azr_number: set(FieldId::azr_number); break;
        case BlockRule::ba_customer_number: set(FieldId::ba_customer_number); break;
        case BlockRule::bamf_file_number: set(FieldId::bamf_file_number); break;
        case BlockRule::other_id: set(FieldId::other_id); break;
        case BlockRule::name_key_pair: set(FieldId::name); break;
        case BlockRule::name_key_birth_year:
        case BlockRule::family_key_birth_year:
            set(FieldId::name);
            set(FieldId::birth_date);
            break;
        case BlockRule::name_key_postcode:
            set(FieldId::name);
            set(FieldId::postcode);
            break;
        case BlockRule::birth_date: set(FieldId::birth_date); break;
        case BlockRule::birth_date_postcode:
            set(FieldId::birth_date);
            set(FieldId::postcode);
            break;
        case BlockRule::street_house_number:
            set(FieldId::street);
            set(FieldId::house_number);
            break;
        case BlockRule::identifier_digits_postcode:  // not trained on (trains_model)
        case BlockRule::name_key_birth_date: break;
    }
    return out;
}

// Distinct comparison vectors of every `stride`-th pair, with the fields in `leave_out` missing.
std::vector<Pattern> pair_patterns(std::span<const RecordFeatures> records,
                                   std::span<const std::uint64_t> pairs,
                                   const MatchSettings& settings, const FieldMask& leave_out,
                                   std::size_t stride) {
    const std::size_t n = (pairs.size() + stride - 1) / stride;
    std::vector<std::unordered_map<Levels, std::uint64_t, LevelsHash>> counts(std::max(1u, settings.threads));
    parallel_for(n, settings.threads, [&](std::size_t b, std::size_t e, unsigned t) {
        auto& local = counts[t];
        for (std::size_t i = b; i < e; ++i) {
            const auto pair = pairs[i * stride];
            auto c = compare(records[pair_first(pair)], records[pair_second(pair)], settings.score.enabled);
            for (std::size_t f = 0; f < field_count; ++f) {
                if (leave_out[f]) c.levels[f] = missing_level;
            }
            ++local[c.levels];
        }
    });
    for (std::size_t t = 1; t < counts.size(); ++t) {
        for (const auto& [levels, count] : counts[t]) counts[0][levels] += count;
    }
    std::vector<Pattern> patterns;
    for (const auto& [levels, count] : counts[0]) {
        patterns.push_back({std::vector<std::int8_t>(levels.begin(), levels.end()), count});
    }
    // Sorted, so that EM sums in the same order whatever the hash map did.
    std::sort(patterns.begin(), patterns.end(),
              [](const Pattern& a, const Pattern& b) { return a.levels < b.levels; });
    return patterns;
}

// Pairs per rule, and candidate pairs of all rules, beyond which EM sees an even sample of
// them: a few million pairs fix the level shares far more closely than the data's own noise.
constexpr std::size_t max_training_pairs = 1000000;
constexpr std::size_t max_candidate_training_pairs = 2000000;
// A rule whose pairs EM finds to be at least this share one person each estimates m without
// leaning on the model of different people, which relatives and namesakes among blocked pairs
// break (pairs with the same name agree on nationality and birthplace far more often than
// random ones, and EM takes that for the same person). Such rules' estimates are preferred.
constexpr double clean_prior = 0.8;
// At 1,000,000 people EM found 91 % of the name-key-pair rule's 86 M pairs to be one person
// (about 1 % are: namesakes agree on country and birthplace far beyond random pairs); that would
// give every record 41 duplicates. Taken for clean, their level shares made a full birth date
// worth 5.7 bits instead of 8.5 and a different one almost nothing (precision 0.93 at 1M).
constexpr double max_matches_per_record = 2.0;
constexpr double min_clean_matches = 50.0;

// The configured rules (indices) whose pairs training leaves out (trains_model).
std::vector<int> untrained_rules(const MatchSettings& settings) {
    std::vector<int> out;
    for (std::size_t r = 0; r < settings.blocking.size(); ++r) {
        if (!trains_model(settings.blocking[r])) out.push_back(static_cast<int>(r));
    }
    return out;
}

// One blocking rule's pairs (an even sample of at most max_training_pairs), as comparison
// patterns with the rule's own fields left out.
struct RuleSample {
    FieldMask leave_out{};
    std::vector<Pattern> patterns;
    double pairs = 0.0;  // the rule's pairs before sampling (a pair once per block)
};

std::vector<RuleSample> rule_samples(std::span<const RecordFeatures> records, const Blocks& blocks,
                                     const MatchSettings& settings) {
    std::vector<RuleSample> out;
    for (std::size_t rule = 0; rule < settings.blocking.size(); ++rule) {
        if (!trains_model(settings.blocking[rule])) continue;
        const auto pairs = blocks.sample_pairs(max_training_pairs, static_cast<int>(rule));
        if (pairs.size() < 20) continue;
        RuleSample sample;
        sample.pairs = static_cast<double>(blocks.pairs_made(static_cast<int>(rule)));
        sample.leave_out = blocked_fields(settings.blocking[rule]);
        sample.patterns = pair_patterns(records, pairs, settings, sample.leave_out, 1);
        out.push_back(std::move(sample));
    }
    return out;
}

// How many pairs of `patterns` have field f present.
double present(std::span<const Pattern> patterns, std::size_t f) {
    double n = 0.0;
    for (const auto& p : patterns) {
        if (p.levels[f] >= 0) n += static_cast<double>(p.count);
    }
    return n;
}

// A weighted mean of probability vectors.
class Mean {
public:
    void add(const std::vector<double>& v, double weight) {
        if (sum_.empty()) sum_.assign(v.size(), 0.0);
        for (std::size_t l = 0; l < v.size(); ++l) sum_[l] += weight * v[l];
        weight_ += weight;
    }
    [[nodiscard]] double weight() const { return weight_; }
    [[nodiscard]] std::vector<double> value() const {
        auto out = sum_;
        for (auto& x : out) x /= weight_;
        return out;
    }

private:
    std::vector<double> sum_;
    double weight_ = 0.0;
};

using PerField = std::array<std::optional<std::vector<double>>, field_count>;

// m per field, estimated on each rule's pairs with u held at `start` (random pairs), averaged
// over the rules weighted by how many matches each found with the field present. A rule whose
// pairs are nearly all one person gives m as plain level shares and is preferred when there
// are enough of them. Empty for a field no rule could estimate.
PerField estimate_m_by_rule(std::span<const RuleSample> samples, const MatchSettings& settings,
                            const FsParameters& start, std::size_t records) {
    std::array<Mean, field_count> clean, any;
    for (const auto& sample : samples) {
        auto options = settings.em;
        options.fix_u = true;
        const auto r = estimate_em(sample.patterns, start, options);
        // Clean only where the matches that would make are plausible: a registry holds a person
        // a few times at most, so a rule cannot find more true pairs than a couple per record.
        const bool plausible = r.parameters.prior * sample.pairs <= max_matches_per_record * static_cast<double>(records);
        const bool is_clean = r.parameters.prior >= clean_prior && plausible;
        for (std::size_t f = 0; f < field_count; ++f) {
            if (sample.leave_out[f] || !settings.score.enabled[f]) continue;
            const double n = present(sample.patterns, f);
            const double matches = n * r.parameters.prior;
            if (matches < 10.0) continue;
            any[f].add(r.parameters.fields[f].m, matches);
            if (!is_clean) continue;
            // EM's m would be sharper than the shares: its few "different people" soak up
            // every pair that disagrees on anything (a moved person's old address).
            std::vector<double> m(r.parameters.fields[f].m.size(), 0.5);
            for (const auto& p : sample.patterns) {
                if (p.levels[f] >= 0) m[static_cast<std::size_t>(p.levels[f])] += static_cast<double>(p.count);
            }
            for (auto& x : m) x /= n + 0.5 * static_cast<double>(m.size());
            clean[f].add(m, matches);
        }
    }
    PerField out;
    for (std::size_t f = 0; f < field_count; ++f) {
        if (clean[f].weight() >= min_clean_matches) {
            out[f] = clean[f].value();
        } else if (any[f].weight() > 0.0) {
            out[f] = any[f].value();
        }
    }
    return out;
}

}  // namespace

EmResult train(std::span<const RecordFeatures> records, const MatchSettings& settings) {
    const auto keys = all_block_keys(records, settings);
    return train(records, Blocks(keys, settings.max_block), settings);
}

EmResult train(std::span<const RecordFeatures> records, const Blocks& blocks, const MatchSettings& settings) {
    // One blocking rule at a time, as Splink does: pairs found by a rule agree on that rule's
    // fields by construction, so those fields are left out of what that rule's pairs estimate.
    // m comes from EM on each rule's pairs with u of random pairs held. Then u and the prior
    // from EM over all candidate pairs with that m held: among blocked pairs different people
    // agree far more often than random ones (households share an address, namesakes a name),
    // and the weights must reflect that. EM over all candidate pairs with m free as well
    // drifted to whatever blocked pairs share most (at 250,000 people: the same town).
    const auto random = estimate_u(records, settings, settings.u_samples);
    FsParameters model = random;
    const auto m =
        estimate_m_by_rule(rule_samples(records, blocks, settings), settings, random, records.size());
    for (std::size_t f = 0; f < field_count; ++f) {
        if (m[f]) model.fields[f].m = *m[f];
    }
    const auto candidates =
        blocks.sample_pairs(max_candidate_training_pairs, all_rules, untrained_rules(settings));
    const auto patterns = pair_patterns(records, candidates, settings, FieldMask{}, 1);
    auto options = settings.em;
    options.fix_m = true;
    auto result = estimate_em(patterns, model, options);
    for (auto& field : result.parameters.fields) make_weights_ordered(field);
    return result;
}

NameFrequencies name_frequencies(std::span<const RecordFeatures> records, unsigned threads) {
    std::vector<NameFrequencies> parts(std::max(1u, threads));
    parallel_for(records.size(), threads, [&](std::size_t begin, std::size_t end, unsigned w) {
        for (std::size_t i = begin; i < end; ++i) parts[w].add(records[i]);
    });
    for (std::size_t w = 1; w < parts.size(); ++w) parts[0].add(parts[w]);
    return std::move(parts[0]);
}

PairScorer::PairScorer(const MatchSettings& settings, const NameFrequencies& tf,
                       std::span<const RecordFeatures> records)
    : settings_(settings), tf_(tf), records_(records), bound_(settings.score), summary_(records.size()) {
    parallel_for(records.size(), settings.threads, [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) {
            summary_[i] = WeightBound::summarize(records[i], name_rarity(tf, records[i]));
        }
    });
}

PairScore PairScorer::score(std::uint32_t a, std::uint32_t b) const {
    const auto c = compare(records_[a], records_[b], settings_.score.enabled);
    const double adjustment = pair_tf_adjustment(settings_.score, tf_, records_[a], records_[b],
                                                 summary_[a].rarity, summary_[b].rarity, c);
    return {total_weight(settings_.score, c, adjustment), c.conflict};
}

std::optional<PairScore> PairScorer::score_from(std::uint32_t a, std::uint32_t b, double floor,
                                               bool* compared) const {
    if (bound_(summary_[a], summary_[b], records_[a], records_[b]) < floor) return std::nullopt;
    if (compared) *compared = true;
    auto s = score(a, b);
    if (s.weight < floor) return std::nullopt;
    return s;
}

LinkResult link(std::span<const RecordFeatures> records, const Blocks& blocks, const MatchSettings& settings,
                const NameFrequencies& tf, const Constraints& constraints,
                const std::function<void(std::string_view)>& step) {
    const PairScorer scorer(settings, tf, records);
    const double floor = settings.cluster.review_weight;
    // Block by block: a group's summaries are gathered once, so that its pairs are compared in
    // cache (a large registry's blocks make hundreds of millions of pairs of records scattered
    // over gigabytes). Most pairs fall below the review weight on the bound alone; of the rest,
    // a pair an earlier group makes too is left to that group. Only pairs at or above the
    // review weight are kept: they alone can link or be reviewed.
    constexpr std::size_t groups_per_take = 1024;  // groups a worker takes at a time
    const unsigned workers = blocks.size() < 2 * groups_per_take ? 1u : std::max(1u, settings.threads);
    std::vector<std::vector<ScoredPair>> kept(workers);
    std::vector<std::size_t> made(workers, 0), compared(workers, 0);
    std::atomic<std::size_t> next_group{0};
    const auto work = [&](unsigned t) {
        std::vector<WeightBound::Summary> local;
        std::vector<std::size_t> first_of;  // each member's first group
        std::size_t made_here = 0, compared_here = 0;  // summed at the end: no shared cache line
        for (;;) {
            const std::size_t first = next_group.fetch_add(groups_per_take);
            if (first >= blocks.size()) break;
            for (std::size_t g = first; g < std::min(blocks.size(), first + groups_per_take); ++g) {
                const auto group = blocks[g];
                const auto& members = group.records;
                local.clear();
                first_of.clear();
                for (const auto r : members) {
                    local.push_back(scorer.summary(r));
                    first_of.push_back(blocks.first_group(r));
                }
                for (std::size_t i = 0; i < members.size(); ++i) {
                    const std::size_t last = std::min(members.size(), i + group.window + 1);
                    made_here += last - i - 1;
                    for (std::size_t j = i + 1; j < last; ++j) {
                        const auto a = members[i], b = members[j];
                        if (scorer.bound(local[i], local[j], a, b) < floor) continue;
                        if (first_of[i] < g && first_of[j] < g && blocks.paired_before(a, b, g)) continue;
                        ++compared_here;
                        const auto s = scorer.score(a, b);
                        if (s.weight >= floor) kept[t].push_back({a, b, s.weight, s.conflict});
                    }
                }
            }
        }
        made[t] = made_here;
        compared[t] = compared_here;
    };
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < workers; ++t) helpers.emplace_back(work, t);
    work(0);
    for (auto& h : helpers) h.join();
    std::vector<ScoredPair> scored = std::move(kept[0]);
    for (std::size_t t = 1; t < kept.size(); ++t) {
        scored.insert(scored.end(), kept[t].begin(), kept[t].end());
        kept[t] = {};
    }
    LinkResult out;
    for (std::size_t t = 0; t < workers; ++t) {
        out.pairs_scored += made[t];
        out.names_compared += compared[t];
    }
    if (step) step("clustering");
    const auto score = [&](std::uint32_t a, std::uint32_t b) { return scorer.score(a, b); };
    out.clustering = cluster(static_cast<std::uint32_t>(records.size()), std::move(scored), score,
                             settings.cluster, constraints);
    return out;
}

}  // namespace qreg::dedup
