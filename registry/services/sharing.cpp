#include "sharing.hpp"

#include "../json_text.hpp"
#include "clock.hpp"
#include "crypto.hpp"
#include "profile.hpp"

#include "qreg/connectors/ba_csv.hpp"
#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace qreg::registry {

namespace json = boost::json;

namespace {

bool contains(std::span<const std::string> list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

json::array string_array(std::span<const std::string> items) {
    json::array out;
    for (const auto& i : items) out.emplace_back(i);
    return out;
}

// A shared entry's sources without source names and record ids: only when the record was
// current stays.
void strip_sources(json::value& v) {
    if (v.is_array()) {
        for (auto& x : v.get_array()) strip_sources(x);
        return;
    }
    if (!v.is_object()) return;
    for (auto& [key, x] : v.get_object()) {
        if (key == "sources" && x.is_array()) {
            for (auto& source : x.get_array()) {
                if (!source.is_object()) continue;
                source.get_object().erase("source");
                source.get_object().erase("record_id");
            }
        } else {
            strip_sources(x);
        }
    }
}

json::object consent_summary(const ConsentRow& c, std::span<const std::string> granted) {
    std::vector<std::string> categories;
    for (const auto& k : c.categories) {
        if (contains(granted, k)) categories.push_back(k);
    }
    return {{"consent_id", c.id},
            {"legal_basis", c.legal_basis},
            {"statute", c.statute},
            {"purpose", c.purpose},
            {"categories", string_array(categories)},
            {"valid_until", c.valid_until}};
}

// The part of the view that says what was shared: equal content, equal text.
json::object view_content(const Grant& grant) {
    json::array consents;
    for (const auto& c : grant.consents) consents.push_back(consent_summary(c, grant.categories));
    return {{"categories", string_array(grant.categories)}, {"consents", std::move(consents)}};
}

// The chosen value of a profile entry, or null.
const json::value* value_of(const json::object& o, std::string_view key) {
    const auto* entry = o.if_contains(key);
    if (!entry || !entry->is_object()) return nullptr;
    return entry->get_object().if_contains("value");
}

std::string text_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string entry_text(const json::object& o, std::string_view key) {
    const auto* v = value_of(o, key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

template <class T>
std::optional<T> number_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return static_cast<T>(v->get_int64());
    if (v->is_double()) return static_cast<T>(v->get_double());
    return std::nullopt;
}

// The values of a list category (vocational_training, work_experience, languages), as objects.
std::vector<json::object> list_values(const json::object& profile, std::string_view key) {
    std::vector<json::object> out;
    const auto* list = profile.if_contains(key);
    if (!list || !list->is_array()) return out;
    for (const auto& entry : list->get_array()) {
        const auto* v = entry.is_object() ? entry.get_object().if_contains("value") : nullptr;
        if (v && v->is_object()) out.push_back(v->get_object());
    }
    return out;
}

const json::object* object_value(const json::object& profile, std::string_view key) {
    const auto* v = value_of(profile, key);
    return v && v->is_object() ? &v->get_object() : nullptr;
}

void read_identity(const json::object& id, Record& r) {
    r.family_name = entry_text(id, "family_name");
    r.given_names = entry_text(id, "given_names");
    r.birth_name = entry_text(id, "birth_name");
    r.birthplace = entry_text(id, "birthplace");
    r.birth_country = entry_text(id, "birth_country");
    const auto sex = entry_text(id, "sex");
    r.sex = sex == "male"      ? Sex::male
            : sex == "female"  ? Sex::female
            : sex == "diverse" ? Sex::diverse
                               : Sex::unknown;
    if (const auto* b = value_of(id, "birth_date"); b && b->is_object()) {
        if (auto date = connectors::parse_iso_date(text_of(b->get_object(), "date"))) {
            r.birth_date = std::move(*date);
            const auto* placeholder = b->get_object().if_contains("is_placeholder");
            r.birth_date.is_placeholder =
                placeholder && placeholder->is_bool() && placeholder->get_bool();
        }
    }
    if (const auto* list = id.if_contains("nationalities"); list && list->is_array()) {
        for (const auto& entry : list->get_array()) {
            const auto* v = entry.is_object() ? entry.get_object().if_contains("value") : nullptr;
            if (v && v->is_string()) r.nationalities.emplace_back(v->get_string());
        }
    }
}

void read_qualifications(const json::object& p, Qualifications& q) {
    if (const auto* s = object_value(p, "school")) {
        q.school = School{number_of<int>(*s, "isced_level"), text_of(*s, "original_code"),
                          number_of<double>(*s, "years"), text_of(*s, "country")};
    }
    for (const auto& t : list_values(p, "vocational_training")) {
        q.trainings.push_back({text_of(t, "kldb"), text_of(t, "title"), text_of(t, "status"),
                               text_of(t, "original_status"), text_of(t, "country")});
    }
    if (const auto* h = object_value(p, "higher_education")) {
        const auto* completed = h->if_contains("completed");
        q.higher_education = HigherEducation{
            number_of<int>(*h, "isced_level"), text_of(*h, "original_code"), text_of(*h, "field"),
            completed && completed->is_bool() ? std::optional<bool>(completed->get_bool())
                                              : std::nullopt,
            text_of(*h, "country")};
    }
    for (const auto& w : list_values(p, "work_experience")) {
        q.experience.push_back(
            {text_of(w, "kldb"), text_of(w, "title"), number_of<double>(w, "years")});
    }
    for (const auto& l : list_values(p, "languages")) {
        q.languages.push_back(
            {text_of(l, "code"), text_of(l, "level"), text_of(l, "original_level"), {}});
    }
    if (const auto* r = object_value(p, "recognition")) {
        q.recognition = Recognition{text_of(*r, "status"), text_of(*r, "original_status"),
                                    text_of(*r, "reference_occupation"), text_of(*r, "date")};
    }
    if (const auto* i = object_value(p, "integration_course")) {
        q.integration_course = IntegrationCourse{text_of(*i, "status"), text_of(*i, "result")};
    }
}

// The shared profile's chosen values as one canonical record, for the format renderers.
Record record_of(const json::object& p) {
    Record r;
    if (const auto* id = p.if_contains("identity"); id && id->is_object()) {
        read_identity(id->get_object(), r);
    }
    if (const auto* ids = p.if_contains("identifiers"); ids && ids->is_object()) {
        const auto& o = ids->get_object();
        r.ids = {entry_text(o, "ba_customer_number"), entry_text(o, "bg_number"),
                 entry_text(o, "bamf_file_number"), entry_text(o, "azr_number"),
                 entry_text(o, "other_id")};
    }
    if (const auto* a = object_value(p, "address")) {
        r.street = text_of(*a, "street");
        r.house_number = text_of(*a, "house_number");
        r.address_extra = text_of(*a, "address_extra");
        r.postcode = text_of(*a, "postcode");
        r.town = text_of(*a, "town");
        r.region = text_of(*a, "region");
    }
    read_qualifications(p, r.qualifications);
    return r;
}

json::value parse_object(std::string_view text, std::string_view what) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) {
        throw Error(ErrorCode::internal, fmt::format("{} is not a JSON object", what));
    }
    return v;
}

std::string_view day_of(std::string_view time) {
    return time.substr(0, 10);
}

}  // namespace

std::string_view state_name(ConsentState state) {
    switch (state) {
        case ConsentState::in_force: return "in_force";
        case ConsentState::not_yet_valid: return "not_yet_valid";
        case ConsentState::expired: return "expired";
        case ConsentState::revoked: return "revoked";
    }
    return "unknown";
}

ConsentState consent_state(const ConsentRow& c, std::string_view now) {
    if (!c.revoked_at.empty() && c.revoked_at <= now) return ConsentState::revoked;
    const auto today = day_of(now);
    if (today < c.valid_from) return ConsentState::not_yet_valid;
    if (today > c.valid_until) return ConsentState::expired;
    return ConsentState::in_force;
}

std::vector<std::int64_t> Grant::consent_ids() const {
    std::vector<std::int64_t> out;
    for (const auto& c : consents) out.push_back(c.id);
    return out;
}

Grant grant_for(std::span<const ConsentRow> consents, std::string_view agency, std::string_view now,
                std::span<const std::string> wanted) {
    Grant grant;
    const auto asked = [&](std::string_view k) {
        return wanted.empty() || contains(wanted, k);
    };
    for (const auto& c : consents) {
        if (c.recipient != agency || consent_state(c, now) != ConsentState::in_force) continue;
        if (std::none_of(c.categories.begin(), c.categories.end(), asked)) continue;
        grant.consents.push_back(c);
    }
    for (const auto category : profile_categories) {
        const bool granted =
            std::any_of(grant.consents.begin(), grant.consents.end(),
                        [&](const ConsentRow& c) { return contains(c.categories, category); });
        if (granted && asked(category)) grant.categories.emplace_back(category);
    }
    return grant;
}

void check_categories(std::span<const std::string> categories, std::string_view field) {
    if (categories.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" must name at least one category", field));
    }
    for (std::size_t i = 0; i < categories.size(); ++i) {
        const auto& k = categories[i];
        if (std::find(profile_categories.begin(), profile_categories.end(), k) ==
            profile_categories.end()) {
            std::string known;
            for (const auto c : profile_categories)
                known += fmt::format("{}{}", known.empty() ? "" : ", ", c);
            throw Error(ErrorCode::invalid_input,
                        fmt::format("\"{}\": unknown category '{}'; the categories are {}", field,
                                    k, known));
        }
        if (contains(categories.subspan(0, i), k)) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("\"{}\": category '{}' is named twice", field, k));
        }
    }
}

void check_share_format(std::string_view format) {
    if (std::find(share_formats.begin(), share_formats.end(), format) == share_formats.end()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("unknown format '{}'; the formats are json, ba-csv-v1", format));
    }
}

void check_new_consent(const NewConsent& c, std::string_view today) {
    const auto fail = [](std::string message) {
        throw Error(ErrorCode::invalid_input, message);
    };
    if (c.recipient.empty())
        fail("\"recipient\" (an agency id, see `qreg agency list`) is required");
    check_categories(c.categories, "categories");
    if (c.purpose.empty()) fail("\"purpose\" is required: what the recipient may use the data for");
    if (c.legal_basis == "consent") {
        if (!c.statute.empty()) fail("\"statute\" is only for \"legal_basis\": \"statute\"");
        if (c.evidence.empty()) {
            fail("\"evidence\" is required for a consent: where the signed consent is kept");
        }
    } else if (c.legal_basis == "statute") {
        if (c.statute.empty()) fail("\"statute\" is required for \"legal_basis\": \"statute\"");
    } else {
        fail("\"legal_basis\" is \"consent\" or \"statute\"");
    }
    for (const auto& [name, date] :
         {std::pair{"valid_from", &c.valid_from}, std::pair{"valid_until", &c.valid_until}}) {
        if (!is_date(*date)) fail(fmt::format("\"{}\" must be a date YYYY-MM-DD", name));
        if (*date < today) {
            fail(fmt::format("\"{}\" is in the past (today is {}); a consent starts today or later",
                             name, today));
        }
    }
    if (c.valid_until < c.valid_from) fail("\"valid_until\" is before \"valid_from\"");
}

std::string shared_profile(std::string_view profile_json, std::span<const std::string> categories) {
    const auto filtered = filter_profile(profile_json, categories);
    if (contains(categories, "identifiers")) return filtered;
    auto v = parse_object(filtered, "the filtered profile");
    strip_sources(v);
    return compact_json(v);
}

std::string shared_view_json(std::int64_t person_id, std::string_view profile_json,
                             const Grant& grant, std::string_view as_of) {
    auto content = view_content(grant);
    json::object view{{"person_id", person_id}, {"as_of", as_of}};
    view["categories"] = std::move(content["categories"]);
    view["consents"] = std::move(content["consents"]);
    view["profile"] = parse_object(shared_profile(profile_json, grant.categories), "the profile");
    return compact_json(view);
}

std::string shared_view_hash(std::string_view profile_json, const Grant& grant) {
    return sha256_hex(compact_json(view_content(grant)) +
                      shared_profile(profile_json, grant.categories));
}

Rendering render_shared_view(std::string_view format, std::int64_t person_id,
                             std::string_view profile_json, const Grant& grant,
                             std::string_view as_of) {
    check_share_format(format);
    if (format == "json") {
        return {"application/json", shared_view_json(person_id, profile_json, grant, as_of)};
    }
    const auto shared = parse_object(shared_profile(profile_json, grant.categories), "the profile");
    Record record = record_of(shared.get_object());
    record.source = "qreg";
    record.stand = std::string(as_of);
    const std::array<Record, 1> rows{std::move(record)};
    return {"text/csv; charset=utf-8", connectors::write_ba_csv(rows)};
}

std::optional<CallbackUrl> parse_callback_url(std::string_view url) {
    constexpr std::string_view scheme = "https://";
    // A fragment is never sent: a URL with one is a mistake.
    if (!url.starts_with(scheme) || url.size() > 2000 || url.find('#') != std::string_view::npos) {
        return std::nullopt;
    }
    url.remove_prefix(scheme.size());
    const auto path_at = std::min(url.find_first_of("/?"), url.size());
    auto authority = url.substr(0, path_at);
    CallbackUrl out;
    out.target = path_at < url.size() ? std::string(url.substr(path_at)) : "/";
    if (out.target.front() == '?') out.target.insert(0, "/");
    if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no credentials
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        out.host = std::string(authority.substr(1, close - 1));
        const auto rest = authority.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') return std::nullopt;
        if (!rest.empty()) port = rest.substr(1);
    } else {
        const auto colon = authority.find(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    const auto bad_char = [](char c) {
        return !(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':');
    };
    if (out.host.empty() || std::any_of(out.host.begin(), out.host.end(), bad_char)) {
        return std::nullopt;
    }
    if (!port.empty() || authority.ends_with(':')) {
        unsigned value = 0;
        const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) {
            return std::nullopt;
        }
        out.port = static_cast<std::uint16_t>(value);
    }
    const auto control = [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
    };
    if (std::any_of(out.target.begin(), out.target.end(), control)) return std::nullopt;
    return out;
}

std::string legal_basis_text(const ConsentRow& consent) {
    return consent.legal_basis == "statute"
               ? fmt::format("statute {} (record {})", consent.statute, consent.id)
               : fmt::format("consent {}", consent.id);
}

std::string legal_basis_text(const Grant& grant) {
    std::string out;
    for (const auto& c : grant.consents) {
        if (!out.empty()) out += "; ";
        out += legal_basis_text(c);
    }
    return out;
}

std::string grounds_json(const Grant& grant) {
    json::array out;
    for (const auto& c : grant.consents) {
        out.push_back(json::object{{"consent_id", c.id},
                                   {"legal_basis", c.legal_basis},
                                   {"statute", c.statute},
                                   {"purpose", c.purpose}});
    }
    return compact_json(out);
}

std::chrono::milliseconds retry_delay(std::int64_t attempts, std::chrono::milliseconds first,
                                      std::chrono::milliseconds cap) {
    auto delay = first;
    for (std::int64_t i = 1; i < attempts && delay < cap; ++i) delay *= 2;
    return std::min(delay, cap);
}

std::vector<std::int64_t> subscriptions_to_notify(std::span<const ConsentRow> consents,
                                                  std::span<const SubscriptionRow> subscriptions,
                                                  std::string_view now) {
    std::vector<std::int64_t> out;
    for (const auto& s : subscriptions) {
        if (!s.cancelled_at.empty()) continue;
        const bool concerned =
            std::any_of(consents.begin(), consents.end(), [&](const ConsentRow& c) {
                const auto state = consent_state(c, now);
                if (c.recipient != s.agency || state == ConsentState::revoked ||
                    state == ConsentState::expired) {
                    return false;
                }
                return std::any_of(c.categories.begin(), c.categories.end(),
                                   [&](const std::string& k) { return contains(s.categories, k); });
            });
        if (concerned) out.push_back(s.id);
    }
    return out;
}

}  // namespace qreg::registry
