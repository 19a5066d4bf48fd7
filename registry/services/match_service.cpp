#include "match_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <future>
#include <numeric>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "../match_config.hpp"
#include "qreg/dedup/parallel_for.hpp"
#include "qreg/dedup/parallel_sort.hpp"
#include "sharing_service.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace {

// Which record, and its person before matching.
struct RecordIds {
    std::int64_t record_pk = 0;
    std::int64_t person_id = 0;
};

// Records in canonical order, with their features (the records themselves are not kept).
struct Prepared {
    std::vector<RecordIds> inputs;                // canonical order
    std::vector<dedup::RecordFeatures> features;  // same order
};

// Canonical order: by content; records of identical content are interchangeable.
// `prints` are the features' fingerprints (dedup::fingerprint), in the same order.
// The features are moved into place where they lie (a second vector of millions of them
// was a fifth of reading a large registry, in fresh pages).
Prepared in_canonical_order(const std::vector<RecordIds>& ids, std::vector<dedup::RecordFeatures>& features,
                            const std::vector<std::uint64_t>& prints) {
    std::vector<std::size_t> order(ids.size());
    std::iota(order.begin(), order.end(), 0);
    dedup::parallel_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(prints[a], ids[a].record_pk) < std::tie(prints[b], ids[b].record_pk);
    });
    Prepared p;
    p.inputs.reserve(ids.size());
    for (const auto i : order) p.inputs.push_back(ids[i]);
    // Position k takes the features at order[k]: follow each cycle of the permutation once.
    std::vector<bool> placed(order.size());
    for (std::size_t start = 0; start < order.size(); ++start) {
        if (placed[start]) continue;
        auto carried = std::move(features[start]);
        std::size_t k = start;
        while (order[k] != start) {
            features[k] = std::move(features[order[k]]);
            placed[k] = true;
            k = order[k];
        }
        features[k] = std::move(carried);
        placed[k] = true;
    }
    p.features = std::move(features);
    return p;
}

// Reads records in batches (`read` fills one, reusing what it held, and returns false when
// there are no more) and extracts their features on `threads` cores, so that the records of a
// large registry are never all in memory at once. Appends, in the order read, to `ids`,
// `features` and (when given) their fingerprints to `prints`.
void read_features(const std::function<bool(std::vector<MatchInput>&)>& read, unsigned threads,
                   std::vector<RecordIds>& ids, std::vector<dedup::RecordFeatures>& features,
                   std::vector<std::uint64_t>* prints) {
    // The next batch is read while this one's features are made; the two batches take turns,
    // so that the records' buffers (and their pages) serve batch after batch.
    std::array<std::vector<MatchInput>, 2> batches;
    const auto read_into = [&](std::vector<MatchInput>& batch) {
        return std::async(std::launch::async, [&] { return read(batch); });
    };
    std::size_t current = 0;
    auto pending = read_into(batches[current]);
    for (bool more = true; more;) {
        more = pending.get();
        const auto& batch = batches[current];
        current ^= 1;
        if (more) pending = read_into(batches[current]);
        const std::size_t base = features.size(), n = batch.size();
        features.resize(base + n);
        if (prints) prints->resize(base + n);
        dedup::parallel_for(n, threads, [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t i = begin; i < end; ++i) {
                features[base + i] = dedup::extract_features(batch[i].record);
                if (prints) (*prints)[base + i] = dedup::fingerprint(features[base + i]);
            }
        });
        for (const auto& in : batch) ids.push_back({in.record_pk, in.person_id});
    }
}

// read_features, then the records put in canonical order. `expected` (how many records there
// are about to be) only saves reallocations.
Prepared prepare(const std::function<bool(std::vector<MatchInput>&)>& read, unsigned threads,
                 std::size_t expected) {
    std::vector<RecordIds> ids;
    std::vector<dedup::RecordFeatures> features;
    std::vector<std::uint64_t> prints;
    ids.reserve(expected);
    features.reserve(expected);
    prints.reserve(expected);
    read_features(read, threads, ids, features, &prints);
    return in_canonical_order(ids, features, prints);
}

// Every current, not retracted record of the registry.
Prepared prepare_all(const Store& store, unsigned threads) {
    std::int64_t after = 0;
    return prepare(
        [&](std::vector<MatchInput>& batch) {
            store.match_inputs(after, 50000, batch);
            if (!batch.empty()) after = batch.back().record_pk;
            return !batch.empty();
        },
        threads, static_cast<std::size_t>(store.record_count()));
}

dedup::FsParameters stored_or_trained(Store& store, const dedup::MatchSettings& settings,
                                      const Prepared& p, const dedup::Blocks& blocks, bool retrain,
                                      std::string_view now,
                                      DedupReport& report) {
    if (!retrain) {
        if (const auto model = store.current_model()) return parameters_from_json(*model);
    }
    const auto result = dedup::train(p.features, blocks, settings);
    store.save_model("em", parameters_to_json(result.parameters), now,
                     static_cast<std::int64_t>(p.inputs.size()));
    report.trained = true;
    report.em_iterations = result.iterations;
    return result.parameters;
}

// Person ids stay with the cluster that keeps most of a person's records; other clusters get
// new ids.
std::vector<PersonAssignment> assign_ids(Store& store, const Prepared& p,
                                         const std::vector<std::uint32_t>& cluster_of) {
    // Votes by sorting, not by maps: a full matching has millions of records.
    struct Vote {
        std::uint32_t cluster;
        std::int64_t person;  // before matching
    };
    std::vector<Vote> votes(cluster_of.size());
    for (std::uint32_t i = 0; i < cluster_of.size(); ++i) votes[i] = {cluster_of[i], p.inputs[i].person_id};
    dedup::parallel_sort(votes.begin(), votes.end(), [](const Vote& a, const Vote& b) {
        return std::tie(a.cluster, a.person) < std::tie(b.cluster, b.person);
    });
    struct Claim {
        std::size_t count;
        std::uint32_t cluster;
        std::int64_t person;
    };
    std::vector<Claim> claims;
    for (std::size_t i = 0; i < votes.size();) {
        std::size_t j = i;
        const auto same = [&](const Vote& v) {
            return v.cluster == votes[i].cluster && v.person == votes[i].person;
        };
        while (j < votes.size() && same(votes[j])) ++j;
        claims.push_back({j - i, votes[i].cluster, votes[i].person});
        i = j;
    }
    dedup::parallel_sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
        if (a.count != b.count) return a.count > b.count;
        return std::tie(a.cluster, a.person) < std::tie(b.cluster, b.person);
    });
    std::vector<std::int64_t> persons;
    persons.reserve(votes.size());
    for (const auto& v : votes) persons.push_back(v.person);
    dedup::parallel_sort(persons.begin(), persons.end(), std::less<>{});
    persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
    std::vector<bool> taken(persons.size());
    const std::uint32_t clusters =
        cluster_of.empty() ? 0 : *std::max_element(cluster_of.begin(), cluster_of.end()) + 1;
    std::vector<std::optional<std::int64_t>> id_of(clusters);
    for (const auto& claim : claims) {
        const auto at = std::lower_bound(persons.begin(), persons.end(), claim.person);
        const auto t = static_cast<std::size_t>(at - persons.begin());
        if (id_of[claim.cluster] || taken[t]) continue;
        id_of[claim.cluster] = claim.person;
        taken[t] = true;
    }
    // Clusters left without an old id get new ones, in cluster order.
    std::vector<std::uint32_t> unnamed;
    for (std::size_t i = 0; i < votes.size(); ++i) {
        const auto c = votes[i].cluster;
        if (!id_of[c] && (unnamed.empty() || unnamed.back() != c)) unnamed.push_back(c);
    }
    if (!unnamed.empty()) {
        auto next = store.allocate_person_ids(static_cast<std::int64_t>(unnamed.size()));
        for (const auto c : unnamed) id_of[c] = next++;
    }
    std::vector<PersonAssignment> out;
    for (std::uint32_t i = 0; i < cluster_of.size(); ++i) {
        const auto id = *id_of[cluster_of[i]];
        if (id != p.inputs[i].person_id) out.push_back({p.inputs[i].record_pk, id});
    }
    return out;
}

// People's decisions between records of `p`, as clustering constraints.
dedup::Constraints constraints_of(const Store& store, const Prepared& p) {
    std::unordered_map<std::int64_t, std::uint32_t> index_of;
    for (std::uint32_t i = 0; i < p.inputs.size(); ++i) index_of[p.inputs[i].record_pk] = i;
    dedup::Constraints constraints;
    for (const auto& d : store.decisions()) {
        const auto a = index_of.find(d.record_a), b = index_of.find(d.record_b);
        if (a == index_of.end() || b == index_of.end()) continue;  // retracted, or out of scope
        (d.link ? constraints.must_link : constraints.cannot_link).emplace_back(a->second, b->second);
    }
    return constraints;
}

struct Clustered {
    std::vector<PersonAssignment> moves;
    std::vector<ReviewPair> review;
    std::size_t persons = 0;
    std::size_t pairs_scored = 0;
    std::size_t names_compared = 0;
};

// Scores and clusters `p`, people's decisions kept.
dedup::LinkResult link(const Store& store, const Prepared& p, const dedup::Blocks& blocks,
                       const dedup::MatchSettings& scoring, const dedup::NameFrequencies& tf,
                       const StepFn& step = {}) {
    return dedup::link(p.features, blocks, scoring, tf, constraints_of(store, p), step);
}

// Moves the records of `p` to the persons `linked` clustered them into (enqueueing the shares
// that the moves change).
Clustered assign(Store& store, const Prepared& p, const dedup::LinkResult& linked, std::string_view reason,
                 std::string_view now) {
    Clustered out;
    out.pairs_scored = linked.pairs_scored;
    out.names_compared = linked.names_compared;
    out.moves = assign_ids(store, p, linked.clustering.cluster_of);
    enqueue_moves(store, out.moves, reason, now);
    store.assign_persons(out.moves);
    for (const auto& r : linked.clustering.review) {
        out.review.push_back({p.inputs[r.a].record_pk, p.inputs[r.b].record_pk, r.weight});
    }
    std::vector<std::uint32_t> roots = linked.clustering.cluster_of;
    std::sort(roots.begin(), roots.end());
    out.persons = static_cast<std::size_t>(std::unique(roots.begin(), roots.end()) - roots.begin());
    return out;
}

// Adds a record's block keys (those it has) to the match index's rows, and its summary when
// `features` are given (else the caller fills in the summaries).
void add_match_keys(MatchKeys& index, std::int64_t record_pk, const std::vector<dedup::BlockKey>& blocks,
                    const dedup::RecordFeatures* features) {
    index.record_pks.push_back(record_pk);
    for (const auto& b : blocks) {
        if (b.key != 0) index.keys.emplace_back(b.key, b.refine);
    }
    index.ends.push_back(index.keys.size());
    if (features) {
        dedup::encode_summary(*features, index.summaries);
        index.summary_ends.push_back(index.summaries.size());
    }
}

// The summaries of `records` one after another, and where each ends (MatchKeys' layout).
std::pair<std::string, std::vector<std::size_t>> encode_summaries(
    std::span<const dedup::RecordFeatures> records) {
    std::pair<std::string, std::vector<std::size_t>> out;
    out.first.reserve(records.size() * 80);
    out.second.reserve(records.size());
    for (const auto& f : records) {
        dedup::encode_summary(f, out.first);
        out.second.push_back(out.first.size());
    }
    return out;
}

// The model's name frequencies (saved when it was trained), of every name key.
dedup::NameFrequencies model_frequencies(const Store& store) {
    dedup::NameFrequencies tf;
    for (const auto& [key, n] : store.name_counts()) tf.set(key, static_cast<std::uint32_t>(n));
    const auto [occurrences, squared] = store.name_count_moments();
    tf.set_totals(static_cast<std::uint64_t>(store.name_count_records()), occurrences, squared);
    return tf;
}

// Counts the names of `records` and saves them as the model's name frequencies.
dedup::NameFrequencies save_frequencies(Store& store, std::span<const dedup::RecordFeatures> records,
                                        unsigned threads) {
    auto frequencies = dedup::name_frequencies(records, threads);
    const auto& counts = frequencies.counts();
    store.save_name_counts(std::vector<std::pair<std::uint64_t, std::int64_t>>(counts.begin(), counts.end()),
                           static_cast<std::int64_t>(records.size()));
    return frequencies;
}

std::vector<std::int64_t> sorted_unique(std::vector<std::int64_t> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

// Registry records sharing a block key with a record of `keys`: a block of at most
// `max_block` records (or its rule's own cap) whole, a larger one by the finer key (the batch's windows over still
// larger parts are approximated by the first `max_block` records of the part).
std::vector<std::int64_t> block_neighbours(const Store& store, const std::vector<dedup::BlockKey>& keys,
                                           std::size_t max_block) {
    std::vector<std::int64_t> out;
    for (const auto& k : keys) {
        if (k.key == 0) continue;
        const std::size_t cap = k.max_block != 0 ? k.max_block : max_block;
        const auto members = store.block_members(k.key, cap + 1);
        if (members.size() <= cap) {
            for (const auto& m : members) out.push_back(m.record_pk);
            continue;
        }
        const auto part = store.block_members(k.key, k.refine, cap);
        out.insert(out.end(), part.begin(), part.end());
    }
    return sorted_unique(std::move(out));
}

// The audit entry of a matching run: counts only, no persons.
AuditEntry matching_entry(const char* action, std::string_view now, const AuditContext& context,
                          std::string details) {
    AuditEntry e;
    e.time = std::string(now);
    e.actor = context.actor;
    e.request_id = context.request_id;
    e.action = action;
    e.categories = {"identity", "identifiers", "address"};
    e.details_json = std::move(details);
    return e;
}

DedupReport dedup_in_transaction(Store& store, const dedup::MatchSettings& settings, bool retrain,
                                 std::string_view now, const StepFn& step, AuditLog* audit,
                                 const AuditContext& context) {
    const auto say = [&](std::string_view s) {
        if (step) step(s);
    };
    DedupReport report;
    say("reading records");
    auto p = prepare_all(store, settings.threads);
    report.records = p.inputs.size();
    say("blocking");
    auto keys = dedup::all_block_keys(p.features, settings);
    auto blocks = dedup::Blocks(keys, settings.max_block);
    report.blocking = blocks.stats();
    auto scoring = settings;
    say(retrain || !store.current_model() ? "training the model" : "model");
    scoring.score.parameters = stored_or_trained(store, settings, p, blocks, retrain, now, report);

    say("name frequencies");
    // Name frequencies belong to the model: counted when it is trained, read until the next.
    const auto tf = report.trained || store.name_count_records() == 0
                        ? save_frequencies(store, p.features, settings.threads)
                        : model_frequencies(store);
    say("scoring");
    const auto linked = link(store, p, blocks, scoring, tf, step);
    // The summaries the match index keeps are encoded on the other core while this one writes.
    auto summaries = std::async(std::launch::async, [&] { return encode_summaries(p.features); });
    say("writing persons");
    const auto done = assign(store, p, linked, "dedup", now);
    report.pairs_scored = done.pairs_scored;
    report.names_compared = done.names_compared;
    report.records_moved = done.moves.size();
    report.review_pairs = done.review.size();
    report.persons = done.persons;
    say("writing the review queue");
    store.replace_review_queue(done.review, now);
    say("writing the match index");
    {
        MatchKeys index;
        index.record_pks.reserve(p.inputs.size());
        index.ends.reserve(p.inputs.size());
        std::size_t total = 0;
        for (const auto& k : keys) total += k.size();
        index.keys.reserve(total);
        for (std::size_t i = 0; i < p.inputs.size(); ++i) {
            add_match_keys(index, p.inputs[i].record_pk, keys[i], nullptr);
        }
        std::tie(index.summaries, index.summary_ends) = summaries.get();
        // The features, keys and blocks (gigabytes in millions of heap blocks) are freed on the
        // other core while this one writes.
        std::jthread freeing([features = std::move(p.features), blocks = std::move(blocks),
                              keys = std::move(keys)]() mutable {
            const auto gone = std::make_tuple(std::move(features), std::move(blocks), std::move(keys));
        });
        store.replace_match_keys(index, dedup::block_keys_print(settings.blocking));
    }
    if (audit) {
        // Counts only: a full recomputation can move every record, too many persons to list.
        audit->append(matching_entry(
            audit_action::dedup, now, context,
            fmt::format(
                R"({{"records":{},"persons":{},"records_moved":{},"review_pairs":{},"pairs_scored":{},"trained":{}}})",
                report.records, report.persons, report.records_moved, report.review_pairs,
                report.pairs_scored, report.trained)));
    }
    return report;
}

// A changed record (by index) and a registry record (by pk) found in one of its blocks.
struct Candidate {
    std::int64_t other = 0;
    std::uint32_t changed = 0;
    friend auto operator<=>(const Candidate&, const Candidate&) = default;
};

// The registry records of `candidates` (sorted; `all` their distinct records, ascending) that
// may score at least the review weight against a changed record (`features`) they were found
// with: the others fall below it on the weight bound of their summaries in the match index,
// and are not read. In a large registry that is most of them (the common names' blocks).
std::vector<std::int64_t> not_ruled_out(const Store& store, const dedup::MatchSettings& scoring,
                                        const dedup::NameFrequencies& tf,
                                        std::span<const dedup::RecordFeatures> features,
                                        std::span<const Candidate> candidates,
                                        std::span<const std::int64_t> all) {
    using dedup::WeightBound;
    std::vector<WeightBound::Summary> mine;
    mine.reserve(features.size());
    for (const auto& f : features) mine.push_back(WeightBound::summarize(f, dedup::name_rarity(tf, f)));
    const WeightBound bound(scoring.score);
    // The bound of the summaries is never below the records' own; a hair's margin for rounding.
    const double floor = scoring.cluster.review_weight - 1e-9;
    enum : std::uint8_t { unknown, ruled_out, wanted };  // unknown: no summary kept, read it
    std::vector<std::uint8_t> state(all.size(), unknown);
    std::size_t at = 0;  // the candidates come in the order of the summaries
    store.match_summaries(all, [&](std::size_t j, std::string_view bytes) {
        auto s = dedup::decode_summary(bytes, tf);
        if (!s || !bytes.empty()) return;
        state[j] = ruled_out;
        while (candidates[at].other < all[j]) ++at;
        for (; at < candidates.size() && candidates[at].other == all[j]; ++at) {
            if (bound(mine[candidates[at].changed], *s) >= floor) state[j] = wanted;
        }
    });
    std::vector<std::int64_t> out;
    for (std::size_t j = 0; j < all.size(); ++j) {
        if (state[j] != ruled_out) out.push_back(all[j]);
    }
    return out;
}

MatchReport match_incrementally(Store& store, const dedup::MatchSettings& settings,
                                std::span<const std::int64_t> changed_records,
                                const dedup::FsParameters& model, std::string_view now) {
    MatchReport report;
    auto scoring = settings;
    scoring.score.parameters = model;
    const auto changed = sorted_unique({changed_records.begin(), changed_records.end()});

    // The changed records as they are now (retracted ones drop out) into the match index.
    const auto now_inputs = store.match_inputs_of(changed);
    report.records = now_inputs.size();
    std::vector<dedup::RecordFeatures> features;
    features.reserve(now_inputs.size());
    for (const auto& in : now_inputs) features.push_back(dedup::extract_features(in.record));
    const auto keys = dedup::all_block_keys(features, settings);
    {
        MatchKeys added;
        for (std::size_t i = 0; i < now_inputs.size(); ++i) {
            add_match_keys(added, now_inputs[i].record_pk, keys[i], &features[i]);
        }
        store.update_match_keys(changed, added);
    }
    const auto tf = model_frequencies(store);

    // The persons concerned: those of the changed records, and those of every registry record
    // that shares a block key with one and scores at least the review weight against it.
    std::vector<std::int64_t> persons;
    for (const auto pk : changed) {
        if (const auto person = store.person_of(pk)) persons.push_back(*person);
    }
    // In the order of the registry records, which their summaries and records are read in.
    std::vector<Candidate> candidates;
    for (std::size_t i = 0; i < now_inputs.size(); ++i) {
        for (const auto pk : block_neighbours(store, keys[i], settings.max_block)) {
            if (!std::binary_search(changed.begin(), changed.end(), pk)) {
                candidates.push_back({pk, static_cast<std::uint32_t>(i)});
            }
        }
    }
    std::sort(candidates.begin(), candidates.end());
    std::vector<std::int64_t> all_neighbours;
    for (const auto& c : candidates) {
        if (all_neighbours.empty() || all_neighbours.back() != c.other) all_neighbours.push_back(c.other);
    }
    report.compared = all_neighbours.size();
    const auto to_read = not_ruled_out(store, scoring, tf, features, candidates, all_neighbours);
    report.read = to_read.size();
    // Read a slice at a time and kept as features only: a record read back is ~1.3 KB.
    // `pool` holds the changed records' features, then the others' (in pk order).
    const std::size_t first_other = features.size();
    std::vector<dedup::RecordFeatures> pool = std::move(features);
    std::vector<RecordIds> others;
    others.reserve(to_read.size());
    pool.reserve(first_other + to_read.size());
    constexpr std::size_t slice = 4096;
    std::size_t from = 0;
    read_features(
        [&](std::vector<MatchInput>& batch) {
            const auto n = std::min(slice, to_read.size() - from);
            store.match_inputs_of(std::span(to_read).subspan(from, n), batch);
            from += n;
            return !batch.empty();
        },
        settings.threads, others, pool, nullptr);
    // Index of a neighbour in `others` (sorted by pk: read in the order of to_read).
    const auto other_at = [&](std::int64_t pk) -> std::optional<std::size_t> {
        const auto it = std::lower_bound(others.begin(), others.end(), pk,
                                         [](const RecordIds& r, std::int64_t k) { return r.record_pk < k; });
        if (it == others.end() || it->record_pk != pk) return std::nullopt;
        return static_cast<std::size_t>(it - others.begin());
    };
    {
        // Each record's name rarity once, and most pairs ruled out on the weight bound.
        const dedup::PairScorer scorer(scoring, tf, pool);
        std::vector<bool> concerned(others.size(), false);
        for (const auto& c : candidates) {
            const auto at = other_at(c.other);
            if (!at || concerned[*at]) continue;  // ruled out, or concerned already
            const auto b = static_cast<std::uint32_t>(first_other + *at);
            if (scorer.score_from(c.changed, b, settings.cluster.review_weight)) concerned[*at] = true;
        }
        for (std::size_t j = 0; j < others.size(); ++j) {
            if (concerned[j]) persons.push_back(others[j].person_id);
        }
    }
    persons = sorted_unique(std::move(persons));

    // Every record of those persons, clustered again as a whole. Those read above (the changed
    // records and the ones compared with them, most of these persons' records) are taken over
    // with their features, not read and extracted again.
    std::unordered_map<std::int64_t, std::size_t> changed_at;  // into now_inputs
    for (std::size_t i = 0; i < now_inputs.size(); ++i) changed_at.emplace(now_inputs[i].record_pk, i);
    std::vector<RecordIds> ids;
    std::vector<dedup::RecordFeatures> person_features;
    std::vector<std::int64_t> unread;
    for (const auto pk : store.record_pks_of_persons(persons)) {
        if (const auto at = other_at(pk)) {
            ids.push_back(others[*at]);
            person_features.push_back(std::move(pool[first_other + *at]));
        } else if (const auto in = changed_at.find(pk); in != changed_at.end()) {
            ids.push_back({pk, now_inputs[in->second].person_id});
            person_features.push_back(std::move(pool[in->second]));
        } else {
            unread.push_back(pk);
        }
    }
    for (const auto& in : store.match_inputs_of(unread)) {
        ids.push_back({in.record_pk, in.person_id});
        person_features.push_back(dedup::extract_features(in.record));
    }
    std::vector<std::uint64_t> prints;
    prints.reserve(person_features.size());
    for (const auto& f : person_features) prints.push_back(dedup::fingerprint(f));
    const auto p = in_canonical_order(ids, person_features, prints);
    report.reclustered = p.inputs.size();
    const auto blocks = dedup::make_blocks(p.features, settings);
    const auto done = assign(store, p, link(store, p, blocks, scoring, tf), "match", now);
    report.records_moved = done.moves.size();
    report.persons = done.persons;
    report.review_pairs = done.review.size();
    std::vector<std::int64_t> scope = changed;  // retracted ones leave the review queue too
    for (const auto& in : p.inputs) scope.push_back(in.record_pk);
    store.replace_review_pairs_of(sorted_unique(std::move(scope)), done.review, now);
    return report;
}

std::string level_label(dedup::FieldId field, std::int8_t level) {
    if (level < 0) return "missing";
    return dedup::level_names(field)[static_cast<std::size_t>(level)];
}

}  // namespace

DedupReport run_dedup(Store& store, const dedup::MatchSettings& settings, bool retrain,
                      std::string_view now, const StepFn& step, AuditLog* audit,
                      const AuditContext& context) {
    // Every record the recomputation writes about it reads in this transaction, whose write
    // lock keeps them there.
    const Store::UncheckedReferences unchecked(store);
    Store::Transaction tx(store);
    auto report = dedup_in_transaction(store, settings, retrain, now, step, audit, context);
    if (step) step("committing");
    tx.commit();
    return report;
}

MatchReport match_changes(Store& store, const dedup::MatchSettings& settings,
                          std::span<const std::int64_t> changed, std::string_view now,
                          MatchMode mode, AuditLog* audit, const AuditContext& context) {
    const auto model = store.current_model();
    if (mode == MatchMode::automatic) {
        const bool small = static_cast<double>(changed.size()) <
                           settings.full_recompute_share * static_cast<double>(store.matched_records());
        mode = small ? MatchMode::incremental : MatchMode::full;
    }
    const bool index_valid = store.match_keys_valid(dedup::block_keys_print(settings.blocking));
    if (mode == MatchMode::full || !model || !index_valid || store.name_count_records() == 0) {
        MatchReport report;
        report.full = true;
        // An import large enough to recompute all persons retrains the model on the registry as
        // it now is: the model then depends on the data, not on the order it arrived in.
        const auto all = dedup_in_transaction(store, settings, true, now, {}, audit, context);
        report.records = report.reclustered = all.records;
        report.persons = all.persons;
        report.records_moved = all.records_moved;
        report.review_pairs = all.review_pairs;
        return report;
    }
    auto report = match_incrementally(store, settings, changed, parameters_from_json(*model), now);
    if (audit) {
        audit->append(matching_entry(audit_action::match, now, context, match_report_json(report)));
    }
    return report;
}

std::string match_report_json(const MatchReport& report) {
    return fmt::format(
        R"({{"mode":"{}","records":{},"compared":{},"read":{},"reclustered":{},"persons":{},)"
        R"("records_moved":{},"review_pairs":{}}})",
        report.full ? "full" : "incremental", report.records, report.compared, report.read,
        report.reclustered, report.persons, report.records_moved, report.review_pairs);
}

TrainReport train_model(Store& store, const dedup::MatchSettings& settings, std::string_view now) {
    Store::Transaction tx(store);
    const auto p = prepare_all(store, settings.threads);
    const auto keys = dedup::all_block_keys(p.features, settings);
    const dedup::Blocks blocks(keys, settings.max_block);
    const auto result = dedup::train(p.features, blocks, settings);
    store.save_model("em", parameters_to_json(result.parameters), now,
                     static_cast<std::int64_t>(p.inputs.size()));
    (void)save_frequencies(store, p.features, settings.threads);
    tx.commit();
    return {result.parameters, result.iterations, result.converged, blocks.stats().pairs_made};
}

std::string explain_pair(const Store& store, const dedup::MatchSettings& settings, const RecordRef& a,
                         const RecordRef& b) {
    const auto load = [&](const RecordRef& ref) {
        auto found = store.record(ref.source, ref.record_id);
        if (!found) {
            throw Error(ErrorCode::not_found,
                        fmt::format("no record with that id from source {}; `qreg links` lists them",
                                    ref.source));
        }
        return *found;
    };
    const auto ra = load(a), rb = load(b);
    auto scoring = settings;
    const auto model = store.current_model();
    if (model) scoring.score.parameters = parameters_from_json(*model);
    const auto fa = dedup::extract_features(ra.current), fb = dedup::extract_features(rb.current);
    // The name frequencies matching used: the model's, else (untrained) the registry's now.
    dedup::NameFrequencies tf;
    if (store.name_count_records() > 0) {
        tf = model_frequencies(store);
    } else {
        for (const auto& in : store.match_inputs()) tf.add(dedup::extract_features(in.record));
    }
    const auto e = dedup::explain(scoring.score, tf, fa, fb);

    std::string out = fmt::format("{}:{} and {}:{}\n", a.source, a.record_id, b.source, b.record_id);
    out += model ? fmt::format("model: trained on {} records (stored in the database)\n",
                               store.current_model_records())
                 : std::string("model: starting values from config/matching.json (untrained)\n");
    out += fmt::format("{:<20} {:<12} {:>8} {:>8}\n", "field", "level", "weight", "tf");
    for (const auto& f : e.fields) {
        out += fmt::format("{:<20} {:<12} {:>8.2f} {:>8}\n", dedup::field_name(f.field),
                           level_label(f.field, f.level), f.weight,
                           f.field == dedup::FieldId::name ? fmt::format("{:.2f}", f.tf_adjustment) : "");
    }
    if (e.given_names_penalty != 0.0) {
        // Siblings and twins: given names with not even a loose likeness, no identifier agrees.
        out += fmt::format("{:<20} {:<12} {:>8.2f}\n", "given names differ", "penalty",
                           e.given_names_penalty);
    }
    out += fmt::format("{:<20} {:<12} {:>8.2f}\n", "total", "", e.total);
    out += fmt::format("match probability {:.6f}\n", e.probability);
    const char* outcome = e.conflict ? "no link: conflicting evidence (different AZR numbers or sex)"
                          : e.total >= scoring.cluster.link_weight ? "link"
                          : e.total >= scoring.cluster.review_weight ? "possible match: review"
                                                                      : "no link";
    out += fmt::format("outcome for the pair: {} (link at {:.1f}, review at {:.1f})\n", outcome,
                       scoring.cluster.link_weight, scoring.cluster.review_weight);
    out += fmt::format("currently {} person\n", ra.person_id == rb.person_id ? "the same" : "a different");
    return out;
}

}  // namespace qreg::registry
