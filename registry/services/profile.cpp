#include "profile.hpp"

#include "../json_text.hpp"
#include "../record_json.hpp"

#include "qreg/dedup/normalize.hpp"
#include "../config.hpp"
#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <utility>

namespace qreg::registry {

namespace json = boost::json;

namespace {

using Rule = SurvivorshipRule;

constexpr std::array<std::pair<std::string_view, Rule>, 5> rule_names = {{
    {"most_recent", Rule::most_recent},
    {"most_precise", Rule::most_precise},
    {"source_priority", Rule::source_priority},
    {"most_frequent", Rule::most_frequent},
    {"highest_level", Rule::highest_level},
}};

// The fields a rule can be set for, and which of the value-dependent rules make sense there.
struct FieldSpec {
    std::string_view name;
    bool has_precision;
    bool has_level;
};

constexpr std::array field_specs = {
    FieldSpec{"family_name", false, false},
    FieldSpec{"given_names", false, false},
    FieldSpec{"birth_name", false, false},
    FieldSpec{"original_script", false, false},
    FieldSpec{"birth_date", true, false},
    FieldSpec{"birthplace", false, false},
    FieldSpec{"birth_country", false, false},
    FieldSpec{"sex", false, false},
    FieldSpec{"ba_customer_number", false, false},
    FieldSpec{"bg_number", false, false},
    FieldSpec{"bamf_file_number", false, false},
    FieldSpec{"azr_number", false, false},
    FieldSpec{"other_id", false, false},
    FieldSpec{"address", true, false},
    FieldSpec{"school", true, true},
    FieldSpec{"vocational_training", true, false},
    FieldSpec{"higher_education", true, true},
    FieldSpec{"work_experience", true, false},
    FieldSpec{"languages", false, true},
    FieldSpec{"recognition", true, false},
    FieldSpec{"integration_course", true, true},
};

[[noreturn]] void fail(std::string_view file, std::string_view key, std::string_view what) {
    throw Error(ErrorCode::invalid_input, fmt::format("{}: {}: {}", file, key, what));
}

bool applies(Rule rule, const FieldSpec& field) {
    if (rule == Rule::most_precise) return field.has_precision;
    if (rule == Rule::highest_level) return field.has_level;
    return true;
}

Rule rule_from(const json::value& v, std::string_view file, std::string_view key) {
    const auto name = v.is_string() ? std::string_view(v.get_string()) : std::string_view();
    for (const auto& [n, rule] : rule_names) {
        if (n == name) return rule;
    }
    std::string known;
    for (const auto& [n, rule] : rule_names) {
        known += fmt::format("{}{}", known.empty() ? "" : ", ", n);
    }
    fail(file, key, fmt::format("unknown rule '{}'; rules: {}", name, known));
}

std::string_view rule_name(Rule rule) {
    for (const auto& [n, r] : rule_names) {
        if (r == rule) return n;
    }
    return "?";
}

std::string_view trim(std::string_view s) {
    constexpr std::string_view space = " \t\r\n";
    const auto begin = s.find_first_not_of(space);
    if (begin == std::string_view::npos) return {};
    return s.substr(begin, s.find_last_not_of(space) - begin + 1);
}

// The storage of the profile being built (a ProfileArena sets it): the nodes of one profile
// come from one arena instead of a heap block each, and are freed at once. Default storage
// elsewhere.
thread_local json::storage_ptr profile_storage;
const json::storage_ptr& sp() { return profile_storage; }

// While it lives, this thread's profile nodes come from a buffer with room for a typical
// profile (a larger one takes more from the heap).
class ProfileArena {
public:
    ProfileArena() { profile_storage = json::storage_ptr(&resource_); }
    ~ProfileArena() { profile_storage = {}; }
    ProfileArena(const ProfileArena&) = delete;
    ProfileArena& operator=(const ProfileArena&) = delete;

private:
    static inline thread_local std::array<unsigned char, 32768> buffer_;
    json::monotonic_resource resource_{buffer_.data(), buffer_.size()};
};

// The record's spelling, trimmed; empty parts stay out of value objects (as in record JSON).
bool put(json::object& o, std::string_view key, std::string_view text) {
    const auto t = trim(text);
    if (!t.empty()) o[key] = t;
    return !t.empty();
}
template <class T>
bool put(json::object& o, std::string_view key, const std::optional<T>& v) {
    if (v) o[key] = *v;
    return v.has_value();
}

std::string key_text(std::string_view text) {
    return dedup::fold(text);
}
template <class T>
std::string key_text(const std::optional<T>& v) {
    return v ? fmt::format("{}", *v) : std::string();
}

// CEFR levels in order; `native` above C2; unknown 0.
int cefr_rank(std::string_view level) {
    const auto folded = dedup::fold(level);
    if (folded == "native") return 7;
    constexpr std::array<std::string_view, 6> order = {"a1", "a2", "b1", "b2", "c1", "c2"};
    const auto it = std::find(order.begin(), order.end(), folded);
    return it == order.end() ? 0 : static_cast<int>(it - order.begin()) + 1;
}

std::string upper(std::string_view utf8) {
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())))
        .toUpper(icu::Locale::getRoot())
        .toUTF8String(out);
    return out;
}

// One source record's value for a field.
struct Candidate {
    std::size_t source = 0;  // index into the context's live (not retracted) records
    std::string item;        // merge key of a list item; empty for a single field
    std::string key;         // the normalised value: equal keys are the same value
    json::value value;
    int precision = 0;  // most_precise: larger wins
    int level = 0;      // highest_level: larger wins
};

// A value object with its comparison key and its count of known parts, built together so that
// the three cannot disagree.
class ValueBuilder {
public:
    // A canonical part: shown, compared (folded) and counted by most_precise.
    template <class T>
    ValueBuilder& part(std::string_view name, const T& v) {
        key_ += key_text(v);
        key_ += '|';
        if (put(value_, name, v)) ++known_;
        return *this;
    }
    // Shown only: original codes and certificates.
    ValueBuilder& note(std::string_view name, std::string_view text) {
        put(value_, name, text);
        return *this;
    }
    [[nodiscard]] int known() const { return known_; }
    [[nodiscard]] Candidate done(std::string item = {}, int level = 0) {
        return Candidate{0, std::move(item), std::move(key_), std::move(value_), known_, level};
    }

private:
    std::string key_;
    json::object value_{sp()};
    int known_ = 0;
};

// Candidates that are the same value, best first, and the distinct sources that gave it.
struct Group {
    std::vector<std::size_t> members;  // indices into the candidate list
    std::vector<std::size_t> sources;  // ascending, so in (source, record_id) order
};

// How the value of one group is shown; languages merge their certificates here.
using ShowFn = json::value (*)(const std::vector<Candidate>&, const Group&);

json::value show_best(const std::vector<Candidate>& all, const Group& g) {
    return all[g.members.front()].value;
}

class Context {
public:
    Context(std::span<const ProfileSource> records, const SurvivorshipRules& rules)
        : rules_(rules) {
        for (const auto& r : records) all_.push_back(&r);
        std::sort(all_.begin(), all_.end(), [](const ProfileSource* a, const ProfileSource* b) {
            return std::tie(a->source, a->record_id, a->stand, a->is_retracted) <
                   std::tie(b->source, b->record_id, b->stand, b->is_retracted);
        });
        for (const auto* r : all_) {
            if (!is_retracted(*r)) live_.push_back(r);
        }
        for (const auto* r : live_) {
            const auto& p = rules.source_priority;
            priority_.push_back(
                static_cast<int>(std::find(p.begin(), p.end(), r->source) - p.begin()));
        }
    }

    static bool is_retracted(const ProfileSource& r) {
        return r.is_retracted || r.record.is_retracted;
    }
    [[nodiscard]] const std::vector<const ProfileSource*>& all() const { return all_; }

    [[nodiscard]] Rule rule(std::string_view field) const {
        const auto it = rules_.fields.find(std::string(field));
        return it == rules_.fields.end() ? rules_.default_rule : it->second;
    }

    // Groups the candidates by value, each group's members and the groups ranked best first.
    [[nodiscard]] std::vector<Group> rank(Rule rule, const std::vector<Candidate>& all,
                                          const std::vector<std::size_t>& subset) const {
        std::map<std::string_view, Group> by_key;
        for (const auto i : subset) by_key[all[i].key].members.push_back(i);
        std::vector<Group> groups;
        for (auto& [key, g] : by_key) {
            for (const auto m : g.members) g.sources.push_back(all[m].source);
            std::sort(g.sources.begin(), g.sources.end());
            g.sources.erase(std::unique(g.sources.begin(), g.sources.end()), g.sources.end());
            groups.push_back(std::move(g));
        }
        const auto primary = [&](const Candidate& c, const Group& g) {
            switch (rule) {
                case Rule::most_recent: return 0;
                case Rule::most_precise: return c.precision;
                case Rule::source_priority: return -priority_[c.source];
                case Rule::most_frequent: return static_cast<int>(g.sources.size());
                case Rule::highest_level: return c.level;
            }
            return 0;
        };
        const auto better = [&](std::size_t a, const Group& ga, std::size_t b, const Group& gb) {
            const auto& ca = all[a];
            const auto& cb = all[b];
            const int pa = primary(ca, ga), pb = primary(cb, gb);
            if (pa != pb) return pa > pb;
            const auto& sa = live_[ca.source]->stand;
            const auto& sb = live_[cb.source]->stand;
            if (sa != sb) return sa > sb;
            if (priority_[ca.source] != priority_[cb.source]) {
                return priority_[ca.source] < priority_[cb.source];
            }
            if (ca.key != cb.key) return ca.key < cb.key;
            return std::tie(ca.source, a) < std::tie(cb.source, b);
        };
        for (auto& g : groups) {
            std::sort(g.members.begin(), g.members.end(),
                      [&](std::size_t a, std::size_t b) { return better(a, g, b, g); });
        }
        std::sort(groups.begin(), groups.end(), [&](const Group& a, const Group& b) {
            return better(a.members.front(), a, b.members.front(), b);
        });
        return groups;
    }

    [[nodiscard]] json::array sources(const std::vector<std::size_t>& indices) const {
        json::array out(sp());
        for (const auto i : indices) {
            const auto& r = *live_[i];
            out.push_back(json::object(
                {{"source", r.source}, {"record_id", r.record_id}, {"stand", r.stand}}, sp()));
        }
        return out;
    }

    // {"value", "sources", "alternatives"} of the ranked candidates; null when there are none.
    [[nodiscard]] json::value entry(Rule rule, const std::vector<Candidate>& all,
                                    const std::vector<std::size_t>& subset, ShowFn show) const {
        const auto groups = rank(rule, all, subset);
        if (groups.empty()) return nullptr;
        json::array alternatives(sp());
        for (std::size_t i = 1; i < groups.size(); ++i) {
            alternatives.push_back(json::object(
                {{"value", show(all, groups[i])}, {"sources", sources(groups[i].sources)}}, sp()));
        }
        return json::object({{"value", show(all, groups.front())},
                             {"sources", sources(groups.front().sources)},
                             {"alternatives", std::move(alternatives)}},
                            sp());
    }

    [[nodiscard]] json::value single(std::string_view field, const std::vector<Candidate>& all,
                                     ShowFn show = show_best) const {
        std::vector<std::size_t> subset(all.size());
        for (std::size_t i = 0; i < subset.size(); ++i) subset[i] = i;
        return entry(rule(field), all, subset, show);
    }

    // One entry per merge key, in key order.
    [[nodiscard]] json::array list(Rule rule, const std::vector<Candidate>& all,
                                   ShowFn show = show_best) const {
        std::map<std::string_view, std::vector<std::size_t>> items;
        for (std::size_t i = 0; i < all.size(); ++i) items[all[i].item].push_back(i);
        json::array out(sp());
        for (const auto& [item, subset] : items) out.push_back(entry(rule, all, subset, show));
        return out;
    }

    // One candidate per live record that has the value.
    template <class Make>
    [[nodiscard]] std::vector<Candidate> candidates(Make make) const {
        std::vector<Candidate> out;
        for (std::size_t i = 0; i < live_.size(); ++i) {
            if (auto c = make(live_[i]->record)) {
                c->source = i;
                out.push_back(std::move(*c));
            }
        }
        return out;
    }

    // One candidate per element of a list in each live record.
    template <class Items, class Make>
    [[nodiscard]] std::vector<Candidate> item_candidates(Items items, Make make) const {
        std::vector<Candidate> out;
        for (std::size_t i = 0; i < live_.size(); ++i) {
            for (const auto& x : items(live_[i]->record)) {
                if (auto c = make(x)) {
                    c->source = i;
                    out.push_back(std::move(*c));
                }
            }
        }
        return out;
    }

private:
    const SurvivorshipRules& rules_;
    std::vector<const ProfileSource*> all_;   // sorted by (source, record_id, stand)
    std::vector<const ProfileSource*> live_;  // the same, without retracted records
    std::vector<int> priority_;               // per live record; 0 best, unlisted last
};

std::optional<Candidate> text(std::string_view value) {
    auto key = dedup::fold(value);
    if (key.empty()) return std::nullopt;
    return Candidate{0, {}, std::move(key), json::string(trim(value), sp())};
}

// `text_of` gives the field's text of a record: a member pointer or a function.
template <class TextOf>
void add_text_field(json::object& out, const Context& ctx, std::string_view field, TextOf text_of) {
    const auto candidates =
        ctx.candidates([&](const Record& r) { return text(std::invoke(text_of, r)); });
    if (auto e = ctx.single(field, candidates); !e.is_null()) out[field] = std::move(e);
}

std::optional<Candidate> birth_date(const BirthDate& b) {
    const auto precision = b.is_placeholder ? DatePrecision::year : b.precision;
    std::string date;
    switch (precision) {
        case DatePrecision::none: return std::nullopt;
        case DatePrecision::year: date = fmt::format("{:04}", b.year); break;
        case DatePrecision::month: date = fmt::format("{:04}-{:02}", b.year, b.month); break;
        case DatePrecision::day:
            date = fmt::format("{:04}-{:02}-{:02}", b.year, b.month, b.day);
            break;
    }
    json::object value({{"date", date},
                        {"precision", precision_code(precision)},
                        {"is_placeholder", b.is_placeholder}},
                       sp());
    return Candidate{0, {}, date, std::move(value), static_cast<int>(precision)};
}

json::object identity(const Context& ctx) {
    json::object out(sp());
    add_text_field(out, ctx, "family_name", &Record::family_name);
    add_text_field(out, ctx, "given_names", &Record::given_names);
    add_text_field(out, ctx, "birth_name", &Record::birth_name);
    const auto aliases = ctx.item_candidates(
        [](const Record& r) -> auto& { return r.aliases; },
        [](const PersonName& n) -> std::optional<Candidate> {
            ValueBuilder v;
            v.part("family_name", n.family_name).part("given_names", n.given_names);
            if (v.known() == 0) return std::nullopt;
            auto c = v.done();
            c.item = c.key;
            return c;
        });
    if (!aliases.empty()) out["aliases"] = ctx.list(Rule::most_recent, aliases);
    add_text_field(out, ctx, "original_script", &Record::original_script);
    if (auto e = ctx.single(
            "birth_date", ctx.candidates([](const Record& r) { return birth_date(r.birth_date); }));
        !e.is_null()) {
        out["birth_date"] = std::move(e);
    }
    add_text_field(out, ctx, "birthplace", &Record::birthplace);
    add_text_field(out, ctx, "birth_country", &Record::birth_country);
    const auto sex = ctx.candidates([](const Record& r) -> std::optional<Candidate> {
        if (r.sex == Sex::unknown) return std::nullopt;
        return text(sex_code(r.sex));
    });
    if (auto e = ctx.single("sex", sex); !e.is_null()) out["sex"] = std::move(e);
    const auto nationalities = ctx.item_candidates(
        [](const Record& r) -> auto& { return r.nationalities; },
        [](const std::string& code) {
            auto c = text(code);
            if (c) c->item = c->key;
            return c;
        });
    if (!nationalities.empty()) out["nationalities"] = ctx.list(Rule::most_recent, nationalities);
    return out;
}

json::object identifiers(const Context& ctx) {
    constexpr std::array<std::pair<std::string_view, std::string Identifiers::*>, 5> fields = {{
        {"ba_customer_number", &Identifiers::ba_customer_number},
        {"bg_number", &Identifiers::bg_number},
        {"bamf_file_number", &Identifiers::bamf_file_number},
        {"azr_number", &Identifiers::azr_number},
        {"other_id", &Identifiers::other_id},
    }};
    json::object out(sp());
    for (const auto& [name, member] : fields) {
        add_text_field(
            out, ctx, name, [member](const Record& r) -> auto& { return r.ids.*member; });
    }
    return out;
}

// The address is one value: parts of different records are never mixed.
json::value address(const Context& ctx) {
    return ctx.single("address", ctx.candidates([](const Record& r) -> std::optional<Candidate> {
        ValueBuilder v;
        v.part("street", r.street)
            .part("house_number", r.house_number)
            .part("address_extra", r.address_extra)
            .part("postcode", r.postcode)
            .part("town", r.town)
            .part("region", r.region);
        if (v.known() == 0) return std::nullopt;
        return v.done();
    }));
}

std::optional<Candidate> school(const School& s) {
    return ValueBuilder()
        .part("isced_level", s.isced_level)
        .note("original_code", s.original_code)
        .part("years", s.years)
        .part("country", s.country)
        .done({}, s.isced_level.value_or(-1));
}

std::optional<Candidate> higher_education(const HigherEducation& h) {
    return ValueBuilder()
        .part("isced_level", h.isced_level)
        .note("original_code", h.original_code)
        .part("field", h.field)
        .part("completed", h.completed)
        .part("country", h.country)
        .done({}, h.isced_level.value_or(-1));
}

std::optional<Candidate> recognition(const Recognition& r) {
    return ValueBuilder()
        .part("status", r.status)
        .note("original_status", r.original_status)
        .part("reference_occupation", r.reference_occupation)
        .part("date", r.date)
        .done();
}

std::optional<Candidate> integration_course(const IntegrationCourse& i) {
    return ValueBuilder()
        .part("status", i.status)
        .part("result", i.result)
        .done({}, cefr_rank(i.result));
}

// Trainings and work experience are the same thing when their KldB codes are, else their titles.
std::string occupation_item(std::string_view kldb, std::string_view title) {
    if (const auto k = dedup::fold(kldb); !k.empty()) return "kldb:" + k;
    if (const auto t = dedup::fold(title); !t.empty()) return "title:" + t;
    return {};
}

std::optional<Candidate> training(const VocationalTraining& t) {
    auto item = occupation_item(t.kldb, t.title);
    if (item.empty()) return std::nullopt;
    return ValueBuilder()
        .part("kldb", t.kldb)
        .part("title", t.title)
        .part("status", t.status)
        .note("original_status", t.original_status)
        .part("country", t.country)
        .done(std::move(item));
}

std::optional<Candidate> experience(const WorkExperience& e) {
    auto item = occupation_item(e.kldb, e.title);
    if (item.empty()) return std::nullopt;
    return ValueBuilder()
        .part("kldb", e.kldb)
        .part("title", e.title)
        .part("years", e.years)
        .done(std::move(item));
}

// A language's value is its level; the certificates of every source giving that level are kept.
std::optional<Candidate> language(const Language& l) {
    auto item = dedup::fold(l.code);
    if (item.empty()) return std::nullopt;
    return ValueBuilder()
        .note("code", l.code)
        .part("level", l.level)
        .note("original_level", l.original_level)
        .note("certificate", l.certificate)
        .done(std::move(item), cefr_rank(l.level));
}

json::value show_language(const std::vector<Candidate>& all, const Group& g) {
    json::object value = all[g.members.front()].value.get_object();
    value.erase("certificate");
    json::array certificates(sp());
    std::vector<std::string> seen;
    for (const auto m : g.members) {
        const auto* c = all[m].value.get_object().if_contains("certificate");
        if (!c) continue;
        auto folded = dedup::fold(c->get_string());
        if (std::find(seen.begin(), seen.end(), folded) != seen.end()) continue;
        seen.push_back(std::move(folded));
        certificates.push_back(*c);
    }
    if (!certificates.empty()) value["certificates"] = std::move(certificates);
    return value;
}

template <class T>
std::vector<Candidate> optional_candidates(const Context& ctx,
                                           const std::optional<T> Qualifications::*member,
                                           std::optional<Candidate> (*make)(const T&)) {
    return ctx.candidates([&](const Record& r) -> std::optional<Candidate> {
        const auto& v = r.qualifications.*member;
        return v ? make(*v) : std::nullopt;
    });
}

template <class T>
std::vector<Candidate> list_candidates(const Context& ctx,
                                       const std::vector<T> Qualifications::*member,
                                       std::optional<Candidate> (*make)(const T&)) {
    return ctx.item_candidates(
        [&](const Record& r) -> auto& { return r.qualifications.*member; }, make);
}

std::string display_name(const json::object& identity) {
    const auto value = [&](std::string_view field) -> std::string {
        const auto* e = identity.if_contains(field);
        return e ? std::string(e->at("value").get_string()) : std::string();
    };
    const auto family = upper(value("family_name"));
    const auto given = value("given_names");
    if (family.empty() || given.empty()) return family + given;
    return family + ", " + given;
}

}  // namespace

SurvivorshipRules parse_survivorship(std::string_view text, std::string_view file) {
    boost::system::error_code ec;
    const auto root = json::parse(text, ec);
    if (ec || !root.is_object()) fail(file, "(file)", "not a JSON object: " + ec.message());
    SurvivorshipRules rules;
    bool uses_priority = false;
    for (const auto& [json_key, value] : root.get_object()) {
        const std::string_view key = json_key;
        if (key.starts_with('_')) continue;
        if (key == "source_priority") {
            if (!value.is_array()) fail(file, key, "must be a list of source names");
            for (const auto& s : value.get_array()) {
                if (!s.is_string() || s.get_string().empty()) {
                    fail(file, key, "must be a list of source names");
                }
                const std::string name(s.get_string());
                const auto& p = rules.source_priority;
                if (std::find(p.begin(), p.end(), name) != p.end()) {
                    fail(file, key, fmt::format("lists '{}' twice", name));
                }
                rules.source_priority.push_back(name);
            }
        } else if (key == "default_rule") {
            rules.default_rule = rule_from(value, file, key);
            for (const auto& f : field_specs) {
                if (!applies(rules.default_rule, f)) {
                    fail(file, key,
                         fmt::format("'{}' does not apply to every field (not to {}); "
                                     "set it per field under `fields`",
                                     rule_name(rules.default_rule), f.name));
                }
            }
            uses_priority = uses_priority || rules.default_rule == Rule::source_priority;
        } else if (key == "fields") {
            if (!value.is_object()) fail(file, key, "must be an object of field: rule");
            for (const auto& [field_name, rule_value] : value.get_object()) {
                const std::string_view name = field_name;
                const auto field_key = fmt::format("fields.{}", name);
                if (name == "aliases" || name == "nationalities") {
                    fail(file, field_key, "is the union of all sources; no rule applies");
                }
                const auto spec = std::find_if(field_specs.begin(), field_specs.end(),
                                               [&](const FieldSpec& f) { return f.name == name; });
                if (spec == field_specs.end()) fail(file, field_key, "unknown field");
                const auto rule = rule_from(rule_value, file, field_key);
                if (!applies(rule, *spec)) {
                    fail(file, field_key,
                         fmt::format("rule '{}' does not apply to this field", rule_name(rule)));
                }
                rules.fields[std::string(name)] = rule;
                uses_priority = uses_priority || rule == Rule::source_priority;
            }
        } else {
            fail(file, key, "unknown key; expected source_priority, default_rule, fields");
        }
    }
    if (uses_priority && rules.source_priority.empty()) {
        fail(file, "source_priority",
             "must list at least one source: the source_priority rule is used");
    }
    return rules;
}

SurvivorshipRules load_survivorship(const std::filesystem::path& config_dir) {
    const auto file = config_dir / "survivorship.json";
    return parse_survivorship(read_config_file(file), file.string());
}

std::string profile_json(std::int64_t person_id, std::span<const ProfileSource> records,
                         const SurvivorshipRules& rules) {
    const ProfileArena arena;  // first in, last out: every node below is freed before it
    const Context ctx(records, rules);
    auto id = identity(ctx);
    const auto name = display_name(id);

    json::array all(sp());
    for (const auto* r : ctx.all()) {
        all.push_back(json::object({{"source", r->source},
                                    {"record_id", r->record_id},
                                    {"stand", r->stand},
                                    {"is_retracted", Context::is_retracted(*r)}},
                                   sp()));
    }
    const json::object profile({
        {"person_id", person_id},
        {"display_name", name},
        {"identity", std::move(id)},
        {"identifiers", identifiers(ctx)},
        {"address", address(ctx)},
        {"school", ctx.single("school", optional_candidates(ctx, &Qualifications::school, school))},
        {"vocational_training",
         ctx.list(ctx.rule("vocational_training"),
                  list_candidates(ctx, &Qualifications::trainings, training))},
        {"higher_education",
         ctx.single("higher_education",
                    optional_candidates(ctx, &Qualifications::higher_education, higher_education))},
        {"work_experience",
         ctx.list(ctx.rule("work_experience"),
                  list_candidates(ctx, &Qualifications::experience, experience))},
        {"languages",
         ctx.list(ctx.rule("languages"), list_candidates(ctx, &Qualifications::languages, language),
                  show_language)},
        {"recognition",
         ctx.single("recognition",
                    optional_candidates(ctx, &Qualifications::recognition, recognition))},
        {"integration_course",
         ctx.single(
             "integration_course",
             optional_candidates(ctx, &Qualifications::integration_course, integration_course))},
        {"records", std::move(all)},
    }, sp());
    return compact_json(profile);
}

std::string filter_profile(std::string_view profile, std::span<const std::string> keep) {
    for (const auto& k : keep) {
        if (std::find(profile_categories.begin(), profile_categories.end(), k) ==
            profile_categories.end()) {
            throw Error(ErrorCode::invalid_input, fmt::format("unknown profile category '{}'", k));
        }
    }
    boost::system::error_code ec;
    const auto root = json::parse(profile, ec);
    if (ec || !root.is_object()) {
        throw Error(ErrorCode::invalid_input, "profile is not a JSON object: " + ec.message());
    }
    const auto kept = [&](std::string_view category) {
        return std::find(keep.begin(), keep.end(), category) != keep.end();
    };
    // Deny by default: a key this function does not know about is dropped.
    json::object out;
    for (const auto& [json_key, value] : root.get_object()) {
        const std::string_view key = json_key;
        const bool is_category = std::find(profile_categories.begin(), profile_categories.end(),
                                           key) != profile_categories.end();
        if (key == "person_id" || (is_category && kept(key)) ||
            (key == "display_name" && kept("identity")) ||
            (key == "records" && kept("identifiers"))) {
            out[key] = value;
        }
    }
    return compact_json(out);
}

}  // namespace qreg::registry
