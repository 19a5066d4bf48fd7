#include "match_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "../match_config.hpp"
#include "sharing_service.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace {

// Records in canonical order, with their features.
struct Prepared {
    std::vector<MatchInput> inputs;            // canonical order
    std::vector<dedup::RecordFeatures> features;  // same order
};

Prepared prepare(const Store& store, unsigned threads) {
    Prepared p;
    auto inputs = store.match_inputs();
    std::vector<dedup::RecordFeatures> features(inputs.size());
    std::vector<std::uint64_t> prints(inputs.size());
    const auto work = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            features[i] = dedup::extract_features(inputs[i].record);
            prints[i] = dedup::fingerprint(features[i]);
        }
    };
    threads = std::max(1u, threads);
    std::vector<std::thread> workers;
    const std::size_t step = (inputs.size() + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
        const std::size_t b = std::min(inputs.size(), t * step), e = std::min(inputs.size(), b + step);
        workers.emplace_back(work, b, e);
    }
    for (auto& w : workers) w.join();

    // Canonical order: by content; records of identical content are interchangeable.
    std::vector<std::size_t> order(inputs.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(prints[a], inputs[a].record_pk) < std::tie(prints[b], inputs[b].record_pk);
    });
    p.inputs.reserve(inputs.size());
    p.features.reserve(inputs.size());
    for (const auto i : order) {
        p.inputs.push_back(std::move(inputs[i]));
        p.features.push_back(std::move(features[i]));
    }
    return p;
}

dedup::FsParameters stored_or_trained(Store& store, const dedup::MatchSettings& settings,
                                      const Prepared& p, const dedup::Candidates& candidates,
                                      bool retrain, std::string_view now, DedupReport& report) {
    if (!retrain) {
        if (const auto model = store.current_model()) return parameters_from_json(*model);
    }
    const auto result = dedup::train(p.features, candidates, settings);
    store.save_model("em", parameters_to_json(result.parameters), now);
    report.trained = true;
    report.em_iterations = result.iterations;
    return result.parameters;
}

// Person ids stay with the cluster that keeps most of a person's records; other clusters get
// new ids.
std::vector<PersonAssignment> assign_ids(Store& store, const Prepared& p,
                                         const std::vector<std::uint32_t>& cluster_of) {
    std::map<std::uint32_t, std::map<std::int64_t, std::size_t>> votes;  // cluster -> old id -> n
    for (std::uint32_t i = 0; i < cluster_of.size(); ++i) ++votes[cluster_of[i]][p.inputs[i].person_id];
    struct Claim {
        std::size_t count;
        std::uint32_t cluster;
        std::int64_t person;
    };
    std::vector<Claim> claims;
    for (const auto& [c, ids] : votes) {
        for (const auto& [id, n] : ids) claims.push_back({n, c, id});
    }
    std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
        if (a.count != b.count) return a.count > b.count;
        return std::tie(a.cluster, a.person) < std::tie(b.cluster, b.person);
    });
    std::unordered_map<std::uint32_t, std::int64_t> id_of;
    std::unordered_map<std::int64_t, bool> taken;
    for (const auto& claim : claims) {
        if (id_of.count(claim.cluster) || taken[claim.person]) continue;
        id_of[claim.cluster] = claim.person;
        taken[claim.person] = true;
    }
    std::vector<std::uint32_t> unnamed;
    for (const auto& [c, ids] : votes) {
        if (!id_of.count(c)) unnamed.push_back(c);
    }
    if (!unnamed.empty()) {
        auto next = store.allocate_person_ids(static_cast<std::int64_t>(unnamed.size()));
        for (const auto c : unnamed) id_of[c] = next++;
    }
    std::vector<PersonAssignment> out;
    for (std::uint32_t i = 0; i < cluster_of.size(); ++i) {
        const auto id = id_of[cluster_of[i]];
        if (id != p.inputs[i].person_id) out.push_back({p.inputs[i].record_pk, id});
    }
    return out;
}

std::string level_label(dedup::FieldId field, std::int8_t level) {
    if (level < 0) return "missing";
    return dedup::level_names(field)[static_cast<std::size_t>(level)];
}

}  // namespace

DedupReport run_dedup(Store& store, const dedup::MatchSettings& settings, bool retrain,
                      std::string_view now, const StepFn& step, AuditLog* audit,
                      const AuditContext& context) {
    const auto say = [&](std::string_view s) {
        if (step) step(s);
    };
    DedupReport report;
    Store::Transaction tx(store);
    say("reading records");
    const auto p = prepare(store, settings.threads);
    report.records = p.inputs.size();
    say("blocking");
    const auto candidates = dedup::find_candidates(p.features, settings);
    report.blocking = candidates.stats;
    auto scoring = settings;
    say("model");
    scoring.score.parameters = stored_or_trained(store, settings, p, candidates, retrain, now, report);

    std::unordered_map<std::int64_t, std::uint32_t> index_of;
    for (std::uint32_t i = 0; i < p.inputs.size(); ++i) index_of[p.inputs[i].record_pk] = i;
    dedup::Constraints constraints;
    for (const auto& d : store.decisions()) {
        const auto a = index_of.find(d.record_a), b = index_of.find(d.record_b);
        if (a == index_of.end() || b == index_of.end()) continue;  // a retracted record
        (d.link ? constraints.must_link : constraints.cannot_link).emplace_back(a->second, b->second);
    }
    say("scoring and clustering");
    const auto tf = dedup::name_frequencies(p.features);
    const auto linked = dedup::link(p.features, candidates, scoring, tf, constraints);
    report.pairs_scored = linked.pairs_scored;
    say("writing persons");
    const auto changes = assign_ids(store, p, linked.clustering.cluster_of);
    report.records_moved = changes.size();
    enqueue_moves(store, changes, "dedup", now);
    store.assign_persons(changes);
    std::vector<ReviewPair> review;
    for (const auto& r : linked.clustering.review) {
        review.push_back({p.inputs[r.a].record_pk, p.inputs[r.b].record_pk, r.weight});
    }
    report.review_pairs = review.size();
    store.replace_review_queue(review, now);
    std::vector<std::uint32_t> roots = linked.clustering.cluster_of;
    std::sort(roots.begin(), roots.end());
    report.persons = static_cast<std::size_t>(std::unique(roots.begin(), roots.end()) - roots.begin());
    if (audit) {
        // Counts only: a full recomputation can move every record, too many persons to list.
        AuditEntry e;
        e.time = std::string(now);
        e.actor = context.actor;
        e.request_id = context.request_id;
        e.action = audit_action::dedup;
        e.categories = {"identity", "identifiers", "address"};
        e.details_json = fmt::format(
            R"({{"records":{},"persons":{},"records_moved":{},"review_pairs":{},"pairs_scored":{},"trained":{}}})",
            report.records, report.persons, report.records_moved, report.review_pairs,
            report.pairs_scored, report.trained);
        audit->append(e);
    }
    tx.commit();
    return report;
}

TrainReport train_model(Store& store, const dedup::MatchSettings& settings, std::string_view now) {
    Store::Transaction tx(store);
    const auto p = prepare(store, settings.threads);
    const auto candidates = dedup::find_candidates(p.features, settings);
    const auto result = dedup::train(p.features, candidates, settings);
    store.save_model("em", parameters_to_json(result.parameters), now);
    tx.commit();
    return {result.parameters, result.iterations, result.converged, candidates.pairs.size()};
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
    dedup::NameFrequencies tf;
    for (const auto& in : store.match_inputs()) tf.add(dedup::extract_features(in.record));
    const auto fa = dedup::extract_features(ra.current), fb = dedup::extract_features(rb.current);
    const auto e = dedup::explain(scoring.score, tf, fa, fb);

    std::string out = fmt::format("{}:{} and {}:{}\n", a.source, a.record_id, b.source, b.record_id);
    out += fmt::format("model: {}\n", model ? "trained (stored in the database)"
                                            : "starting values from config/matching.json (untrained)");
    out += fmt::format("{:<20} {:<12} {:>8} {:>8}\n", "field", "level", "weight", "tf");
    for (const auto& f : e.fields) {
        out += fmt::format("{:<20} {:<12} {:>8.2f} {:>8}\n", dedup::field_name(f.field),
                           level_label(f.field, f.level), f.weight,
                           f.field == dedup::FieldId::name ? fmt::format("{:.2f}", f.tf_adjustment) : "");
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
