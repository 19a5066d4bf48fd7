#include "search_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <thread>
#include <unordered_map>

#include "../match_config.hpp"
#include "qreg/dedup/parallel_for.hpp"
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

// The records of one name key, by birth year (unknown, 0, first), each year's in index order:
// a search with a birth year takes the years it tolerates by binary search instead of looking
// at every record of a common name (tens of thousands at 1,000,000 people).
struct NamePostings {
    std::vector<std::uint16_t> years;
    std::vector<std::uint32_t> records;

    void add(int year, std::uint32_t record) {
        years.push_back(static_cast<std::uint16_t>(std::clamp(year, 0, 0xffff)));
        records.push_back(record);
    }
    void sort_by_year() {
        std::vector<std::uint32_t> order(records.size());
        for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return years[a] < years[b]; });
        std::vector<std::uint16_t> y(order.size());
        std::vector<std::uint32_t> r(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            y[i] = years[order[i]];
            r[i] = records[order[i]];
        }
        years = std::move(y);
        records = std::move(r);
    }
    // Appends the records of unknown year and of years `from` to `to`.
    void append_years(std::vector<std::uint32_t>& out, int from, int to) const {
        const auto range = [&](int lo, int hi) {
            const auto b = std::lower_bound(years.begin(), years.end(), lo);
            const auto e = std::upper_bound(b, years.end(), hi);
            const auto first = records.begin() + (b - years.begin());
            out.insert(out.end(), first, first + (e - b));
        };
        range(0, 0);
        range(std::max(from, 1), std::min(to, 0xffff));
    }
};

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
    std::unordered_map<std::string, NamePostings> names;
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
    dedup::parallel_for(inputs.size(), settings_.threads, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t i = begin; i < end; ++i) {
            auto& e = next->entries[i];
            e.person_id = inputs[i].person_id;
            e.features = dedup::extract_features(inputs[i].record);
            e.display_name = display_name(inputs[i].record);
            e.birth_date = birth_date_text(inputs[i].record.birth_date);
        }
    });
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
            if (!key.empty()) next->names[std::string(key)].add(f.birth().year, i);
        }
        for (auto& key : identifier_keys(f)) next->identifiers[std::move(key)].push_back(i);
    }
    for (auto& [key, postings] : next->names) postings.sort_by_year();
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

    const int year = query.birth().year;  // 0: none asked for
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
        std::vector<const NamePostings*> lists;
        for (const auto& token : query.names()) {
            if (const auto it = s.names.find(std::string(query.key(token))); it != s.names.end()) {
                lists.push_back(&it->second);
            }
        }
        std::sort(lists.begin(), lists.end(),
                  [](auto* a, auto* b) { return a->records.size() < b->records.size(); });
        lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
        // Rarest by all their records, not by the query's years: the same lists as without a
        // year, so that a birth date only ever narrows the answer.
        for (std::size_t i = 0; i < std::min<std::size_t>(2, lists.size()); ++i) {
            if (year) {
                lists[i]->append_years(candidates, year - 1, year + 1);
            } else {
                candidates.insert(candidates.end(), lists[i]->records.begin(), lists[i]->records.end());
            }
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    auto score = s.score;
    score.enabled.fill(false);
    const auto enable = [&](dedup::FieldId f) { score.enabled[static_cast<std::size_t>(f)] = true; };
    if (!q.name.empty()) enable(dedup::FieldId::name);
    if (!q.birth_date.empty()) enable(dedup::FieldId::birth_date);

    // Each person's best-scoring record and count; names and dates are copied for the answer only.
    struct Best {
        double score = 0.0;
        std::uint32_t entry = 0;
        std::size_t records = 0;
    };
    std::unordered_map<std::int64_t, Best> by_person;
    std::size_t scored = 0;
    // Entries are scattered over gigabytes: each is asked for 8 candidates ahead, its texts 4
    // ahead (by then the entry that points to them has come).
    constexpr std::size_t ahead = 8;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        if (k + ahead < candidates.size()) {
            const auto* next = reinterpret_cast<const char*>(&s.entries[candidates[k + ahead]]);
            for (std::size_t line = 0; line < sizeof(Entry); line += 64) __builtin_prefetch(next + line);
        }
        if (k + ahead / 2 < candidates.size()) s.entries[candidates[k + ahead / 2]].features.prefetch();
        const auto i = candidates[k];
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
        const auto total = dedup::explain(score, s.tf, query, e.features).total;
        auto& best = by_person[e.person_id];
        if (++best.records == 1 || total > best.score) {
            best.score = total;
            best.entry = i;
        }
    }
    std::vector<std::pair<std::int64_t, Best>> ranked(by_person.begin(), by_person.end());
    const auto before = [](const auto& a, const auto& b) {
        return a.second.score != b.second.score ? a.second.score > b.second.score : a.first < b.first;
    };
    const auto shown = std::min(q.limit, ranked.size());
    const auto last_shown = ranked.begin() + static_cast<std::ptrdiff_t>(shown);
    std::partial_sort(ranked.begin(), last_shown, ranked.end(), before);
    std::vector<SearchHit> hits;
    hits.reserve(shown);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& [person, best] = ranked[i];
        const auto& e = s.entries[best.entry];
        SearchHit& hit = hits.emplace_back();
        hit.person_id = person;
        hit.score = best.score;
        hit.display_name = e.display_name;
        hit.birth_date = e.birth_date;
        hit.matching_records = best.records;
        if (!q.name.empty()) hit.matched_on.emplace_back("name");
        if (!q.birth_date.empty()) hit.matched_on.emplace_back("birth_date");
        if (!q.identifier.empty()) hit.matched_on.emplace_back("identifier");
    }
    return hits;
}

}  // namespace qreg::registry
