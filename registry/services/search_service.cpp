#include "search_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <thread>
#include <unordered_map>

#include "../match_config.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace {

struct Entry {
    std::int64_t person_id = 0;
    dedup::RecordFeatures features;
    std::string display_name;
    std::string birth_date;
};

using Postings = std::unordered_map<std::string, std::vector<std::uint32_t>>;

// Identifier kinds as posting-key prefixes; the value is the matcher's normalised form.
std::vector<std::string> identifier_keys(const dedup::RecordFeatures& f) {
    std::vector<std::string> keys;
    const auto add = [&](std::string_view kind, std::string_view value) {
        if (!value.empty()) keys.push_back(fmt::format("{}:{}", kind, value));
    };
    add("ba", f.ba_customer_number());
    add("bamf", f.bamf_file_number());
    add("azr", f.azr_number());
    add("bg", f.bg_number());
    add("other", f.other_id());
    return keys;
}

std::string display_name(const Record& r) {
    if (r.given_names.empty()) return r.family_name;
    if (r.family_name.empty()) return r.given_names;
    return r.family_name + ", " + r.given_names;
}

constexpr std::size_t max_scored = 200000;  // a bound on one search's work

}  // namespace

struct SearchIndex::Snapshot {
    std::int64_t generation = -1;
    std::vector<Entry> entries;
    Postings names;
    Postings identifiers;
    dedup::NameFrequencies tf;
    dedup::ScoreSettings score;
};

BirthDate parse_query_date(std::string_view text) {
    BirthDate d;
    d.original = std::string(text);
    const auto number = [&](std::string_view part, int& out, int lo, int hi) {
        const auto* end = part.data() + part.size();
        const auto [p, ec] = std::from_chars(part.data(), end, out);
        return ec == std::errc() && p == end && out >= lo && out <= hi;
    };
    const bool ok = [&] {
        if (text.size() == 4) return number(text, d.year, 1000, 9999);
        if (text.size() == 7 && text[4] == '-') {
            return number(text.substr(0, 4), d.year, 1000, 9999) &&
                   number(text.substr(5, 2), d.month, 1, 12);
        }
        if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
            return number(text.substr(0, 4), d.year, 1000, 9999) &&
                   number(text.substr(5, 2), d.month, 1, 12) &&
                   number(text.substr(8, 2), d.day, 1, 31);
        }
        return false;
    }();
    if (!ok) {
        throw Error(ErrorCode::invalid_input,
                    "birth_date must be YYYY, YYYY-MM or YYYY-MM-DD, e.g. 1990-05-17");
    }
    d.precision = d.day ? DatePrecision::day : d.month ? DatePrecision::month : DatePrecision::year;
    return d;
}

std::string birth_date_text(const BirthDate& d) {
    if (d.year == 0) return {};
    if (d.is_placeholder || d.month == 0) return fmt::format("{:04}", d.year);
    if (d.day == 0) return fmt::format("{:04}-{:02}", d.year, d.month);
    return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

SearchIndex::SearchIndex(dedup::MatchSettings settings) : settings_(std::move(settings)) {}
SearchIndex::~SearchIndex() = default;

std::shared_ptr<const SearchIndex::Snapshot> SearchIndex::current() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

std::int64_t SearchIndex::generation() const {
    const auto s = current();
    return s ? s->generation : -1;
}

std::size_t SearchIndex::record_count() const {
    const auto s = current();
    return s ? s->entries.size() : 0;
}

bool SearchIndex::refresh(const Store& store) {
    const auto generation = store.generation();
    if (const auto s = current(); s && s->generation == generation) return false;
    // One rebuild at a time; while it runs, other searches use the index they have.
    std::unique_lock rebuilding(rebuild_mutex_, std::try_to_lock);
    if (!rebuilding) {
        if (current()) return false;
        rebuilding.lock();
    }
    if (const auto s = current(); s && s->generation == generation) return false;

    auto next = std::make_shared<Snapshot>();
    next->generation = generation;
    next->score = settings_.score;
    if (const auto model = store.current_model()) next->score.parameters = parameters_from_json(*model);
    auto inputs = store.match_inputs();
    next->entries.resize(inputs.size());
    const auto work = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            auto& e = next->entries[i];
            e.person_id = inputs[i].person_id;
            e.features = dedup::extract_features(inputs[i].record);
            e.display_name = display_name(inputs[i].record);
            e.birth_date = birth_date_text(inputs[i].record.birth_date);
        }
    };
    const unsigned threads = std::max(1u, settings_.threads);
    const std::size_t step = (inputs.size() + threads - 1) / threads;
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        const auto b = std::min(inputs.size(), t * step), e = std::min(inputs.size(), b + step);
        workers.emplace_back(work, b, e);
    }
    for (auto& w : workers) w.join();
    inputs.clear();
    inputs.shrink_to_fit();

    for (std::uint32_t i = 0; i < next->entries.size(); ++i) {
        const auto& f = next->entries[i].features;
        next->tf.add(f);
        std::vector<std::string_view> keys;
        for (const auto& token : f.names()) keys.push_back(f.key(token));
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        for (const auto key : keys) {
            if (!key.empty()) next->names[std::string(key)].push_back(i);
        }
        for (auto& key : identifier_keys(f)) next->identifiers[std::move(key)].push_back(i);
    }
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(next);
    return true;
}

dedup::PairExplanation SearchIndex::explain(const Record& a, const Record& b) const {
    const auto snap = current();
    static const dedup::NameFrequencies empty;
    const auto fa = dedup::extract_features(a), fb = dedup::extract_features(b);
    if (!snap) return dedup::explain(settings_.score, empty, fa, fb);
    return dedup::explain(snap->score, snap->tf, fa, fb);
}

std::vector<SearchHit> SearchIndex::search(const SearchQuery& q) const {
    if (q.name.empty() && q.identifier.empty()) {
        throw Error(ErrorCode::invalid_input,
                    "give name or identifier (birth_date alone matches too many people)");
    }
    Record probe;
    probe.family_name = q.name;
    if (!q.birth_date.empty()) probe.birth_date = parse_query_date(q.birth_date);
    probe.ids.ba_customer_number = probe.ids.bamf_file_number = probe.ids.azr_number =
        probe.ids.bg_number = probe.ids.other_id = q.identifier;
    const auto query = dedup::extract_features(probe);

    const auto snap = current();
    if (!snap) return {};
    const auto& s = *snap;

    // Candidates: records with the identifier, else records sharing the rarest name keys (the
    // two rarest, so that one misspelt rare token does not hide the person).
    std::vector<std::uint32_t> candidates;
    if (!q.identifier.empty()) {
        for (const auto& key : identifier_keys(query)) {
            if (const auto it = s.identifiers.find(key); it != s.identifiers.end()) {
                candidates.insert(candidates.end(), it->second.begin(), it->second.end());
            }
        }
    } else {
        std::vector<const std::vector<std::uint32_t>*> lists;
        for (const auto& token : query.names()) {
            if (const auto it = s.names.find(std::string(query.key(token))); it != s.names.end()) {
                lists.push_back(&it->second);
            }
        }
        std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
        lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
        for (std::size_t i = 0; i < std::min<std::size_t>(2, lists.size()); ++i) {
            candidates.insert(candidates.end(), lists[i]->begin(), lists[i]->end());
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    auto score = s.score;
    score.enabled.fill(false);
    const auto enable = [&](dedup::FieldId f) { score.enabled[static_cast<std::size_t>(f)] = true; };
    if (!q.name.empty()) enable(dedup::FieldId::name);
    if (!q.birth_date.empty()) enable(dedup::FieldId::birth_date);
    const auto year = query.birth().year;

    std::unordered_map<std::int64_t, SearchHit> by_person;
    std::size_t scored = 0;
    for (const auto i : candidates) {
        const auto& e = s.entries[i];
        if (q.identifier.empty()) {
            // Birth year first: cheap, and it narrows common names a lot.
            const auto y = e.features.birth().year;
            if (year && y && std::abs(y - year) > 1) continue;
            const auto agreement = dedup::compare_names(query, e.features);
            if (agreement.level == dedup::NameLevel::none ||
                agreement.level == dedup::NameLevel::missing) {
                continue;
            }
        }
        if (++scored > max_scored) break;
        const auto explanation = dedup::explain(score, s.tf, query, e.features);
        auto& hit = by_person[e.person_id];
        ++hit.matching_records;
        if (hit.matching_records == 1 || explanation.total > hit.score) {
            hit.person_id = e.person_id;
            hit.score = explanation.total;
            hit.display_name = e.display_name;
            hit.birth_date = e.birth_date;
        }
    }
    std::vector<SearchHit> hits;
    hits.reserve(by_person.size());
    for (auto& [id, hit] : by_person) {
        if (!q.name.empty()) hit.matched_on.emplace_back("name");
        if (!q.birth_date.empty()) hit.matched_on.emplace_back("birth_date");
        if (!q.identifier.empty()) hit.matched_on.emplace_back("identifier");
        hits.push_back(std::move(hit));
    }
    std::sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
        return a.score != b.score ? a.score > b.score : a.person_id < b.person_id;
    });
    if (hits.size() > q.limit) hits.resize(q.limit);
    return hits;
}

}  // namespace qreg::registry
