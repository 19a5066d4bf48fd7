#include "sharing_api.hpp"

#include "../services/disclosure_report.hpp"
#include "../services/sharing.hpp"
#include "../services/sharing_service.hpp"
#include "api_support.hpp"

#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace qreg::registry::http {

namespace json = boost::json;

namespace {

// The same answer whether the person is unknown or not shared with this agency: the registry
// does not reveal who is in it.
constexpr std::string_view not_shared = "no person shared with this agency under that reference";

json::array string_array(std::span<const std::string> items) {
    json::array out;
    for (const auto& i : items) out.emplace_back(i);
    return out;
}

json::value optional_text(const std::string& text) {
    return text.empty() ? json::value(nullptr) : json::value(text);
}

std::string optional_string(const json::object& o, std::string_view key) {
    return o.if_contains(key) ? string_member(o, key) : std::string();
}

std::vector<std::string> string_list(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_array()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" (a list of names) is required", key));
    }
    std::vector<std::string> out;
    for (const auto& item : v->as_array()) {
        if (!item.is_string()) {
            throw Error(ErrorCode::invalid_input, fmt::format("\"{}\" lists names (strings)", key));
        }
        out.emplace_back(item.as_string());
    }
    return out;
}

json::object consent_json(const ConsentRow& c, std::string_view now) {
    return {{"consent_id", c.id},
            {"person_id", c.person_id},
            {"recipient", c.recipient},
            {"categories", string_array(c.categories)},
            {"purpose", c.purpose},
            {"legal_basis", c.legal_basis},
            {"statute", optional_text(c.statute)},
            {"valid_from", c.valid_from},
            {"valid_until", c.valid_until},
            {"evidence", c.evidence},
            {"created_by", c.created_by},
            {"created_at", c.created_at},
            {"revoked_at", optional_text(c.revoked_at)},
            {"revoked_by", optional_text(c.revoked_by)},
            {"state", state_name(consent_state(c, now))}};
}

json::object subscription_json(const SubscriptionRow& s) {
    return {{"subscription_id", s.id},
            {"agency", s.agency},
            {"callback_url", s.callback_url},
            {"categories", string_array(s.categories)},
            {"format", s.format},
            {"created_at", s.created_at},
            {"cancelled_at", optional_text(s.cancelled_at)}};
}

json::object disclosure_json(const DisclosureRow& d) {
    json::array consents;
    for (const auto id : d.consent_ids) consents.emplace_back(id);
    json::error_code ec;
    auto grounds = json::parse(d.grounds, ec);
    return {{"disclosure_id", d.id},
            {"recipient", d.recipient},
            {"disclosed_at", d.disclosed_at},
            {"categories", string_array(d.categories)},
            {"consents", std::move(consents)},
            {"grounds", ec ? json::value(json::array()) : std::move(grounds)},
            {"channel", d.channel},
            {"kind", d.kind},
            {"format", optional_text(d.format)},
            {"reference", d.reference}};
}

NewConsent new_consent(const json::object& body) {
    return {string_member(body, "recipient"),   string_list(body, "categories"),
            string_member(body, "purpose"),     string_member(body, "legal_basis"),
            optional_string(body, "statute"),   string_member(body, "valid_from"),
            string_member(body, "valid_until"), optional_string(body, "evidence")};
}

std::string query_value(const Request& r, const char* key) {
    const auto it = r.query.find(key);
    return it == r.query.end() ? std::string() : it->second;
}

// ?format=json|html; without it, HTML when the client asks for it (a browser), else JSON.
bool wants_html(const Request& r) {
    const auto format = query_value(r, "format");
    if (format == "html") return true;
    if (format == "json") return false;
    if (!format.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("unknown format '{}'; give ?format=json or ?format=html", format));
    }
    return r.header("accept").find("text/html") != std::string::npos;
}

// The Art. 15 report as a page: it carries personal data, so no caching (the server's default)
// and nothing but its own inline style.
Response disclosure_report_page(std::int64_t person, std::vector<DisclosureRow> rows,
                                const Store& store, const AuditLog& audit, std::string now) {
    DisclosureReport report{person, audit.pseudonym(person), std::move(now), std::move(rows), {}};
    for (const auto& d : report.disclosures) {
        if (report.recipient_names.contains(d.recipient)) continue;
        if (const auto agency = store.agency(d.recipient)) {
            report.recipient_names.emplace(d.recipient, agency->name);
        }
    }
    const auto csp = fmt::format(
        "default-src 'none'; style-src {}; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'",
        report_style_source());
    return Response{200,
                    "text/html; charset=utf-8",
                    render_disclosure_report(report),
                    {{"Content-Security-Policy", csp}, {"Referrer-Policy", "no-referrer"}}};
}

}  // namespace

SharingApi::SharingApi(const SurvivorshipRules& rules, std::vector<std::string> record_id_sources,
                       Clock clock)
    : rules_(rules), record_id_sources_(std::move(record_id_sources)), clock_(clock) {}

std::string SharingApi::now() const {
    return format_time(clock_.now());
}

std::optional<Response> SharingApi::route(const Request& r, std::span<const std::string_view> path,
                                          const Principal& who, Store& store,
                                          AuditLog& audit) const {
    const auto is = [&](std::string_view method, std::initializer_list<std::string_view> pattern) {
        return matches(r, path, method, pattern);
    };

    // Consents: caseworkers record and revoke them; data officers may read them.
    if (is("POST", {"v1", "persons", "*", "consents"})) {
        require(who, {Role::caseworker});
        const auto person = parse_id(path[2], "person id");
        const auto at = now();
        const auto row = create_consent(store, person, new_consent(parse_body(r)), who.actor(), at,
                                        audit, audit_context(who, r));
        return json_response(201, consent_json(row, at));
    }
    if (is("GET", {"v1", "persons", "*", "consents"})) {
        require(who, {Role::caseworker, Role::data_officer});
        const auto person = parse_id(path[2], "person id");
        const auto at = now();
        json::array list;
        for (const auto& c : person_consents(store, person)) list.push_back(consent_json(c, at));
        return json_response(200,
                             json::object{{"person_id", person}, {"consents", std::move(list)}});
    }
    if (is("POST", {"v1", "consents", "*", "revoke"})) {
        require(who, {Role::caseworker});
        const auto at = now();
        const auto row = revoke_consent(store, parse_id(path[2], "consent id"), who.actor(), at,
                                        audit, audit_context(who, r));
        return json_response(200, consent_json(row, at));
    }
    if (is("GET", {"v1", "persons", "*", "disclosures"})) {
        require(who, {Role::data_officer});
        const auto person = parse_id(path[2], "person id");
        const bool html = wants_html(r);
        auto rows = store.disclosures_of(person);
        {  // the data officer's reading is an access to the person's data too
            auto entry = audit_entry(audit_context(who, r), audit_action::disclosures_read);
            entry.persons = {person};
            entry.details_json = json::serialize(json::object{
                {"format", html ? "html" : "json"}, {"disclosures", rows.size()}});
            Store::Transaction tx(store);
            audit.append(entry);
            tx.commit();
        }
        if (html) return disclosure_report_page(person, std::move(rows), store, audit, now());
        json::array list;
        for (const auto& d : rows) list.push_back(disclosure_json(d));
        return json_response(200,
                             json::object{{"person_id", person}, {"disclosures", std::move(list)}});
    }

    // The pull connector: agencies, under the consents in force for them now.
    if (is("GET", {"v1", "shared", "persons"})) {
        require(who, {Role::agency});
        const auto identifier = query_value(r, "identifier");
        if (identifier.empty()) {
            throw Error(ErrorCode::invalid_input,
                        "give an identifier you know the person by: ?identifier=VALUE");
        }
        const auto person =
            shared_lookup(store, {who.agency, audit_context(who, r)}, identifier,
                          record_id_sources_, now(), audit);
        if (!person) throw Error(ErrorCode::not_found, std::string(not_shared));
        return json_response(200, json::object{{"person_id", *person}});
    }
    if (is("GET", {"v1", "shared", "persons", "*"})) {
        require(who, {Role::agency});
        const auto person = parse_id(path[3], "person id");
        auto format = query_value(r, "format");
        const auto view = shared_view(store, rules_, {who.agency, audit_context(who, r)}, person,
                                      format.empty() ? "json" : format, now(), audit);
        if (!view) throw Error(ErrorCode::not_found, std::string(not_shared));
        return Response{200, view->content_type, view->body, {}};
    }

    // Subscriptions of the push connector: an agency manages its own; an admin sees all.
    if (is("POST", {"v1", "subscriptions"})) {
        require(who, {Role::agency});
        const auto body = parse_body(r);
        NewSubscription s{who.agency, string_member(body, "callback_url"),
                          string_list(body, "categories"), optional_string(body, "format")};
        if (s.format.empty()) s.format = "json";
        const auto row = create_subscription(store, s, who.actor(), now(), audit, audit_context(who, r));
        auto out = subscription_json(row);
        out["secret"] = row.secret;  // shown this once: the key of X-Qreg-Signature
        return json_response(201, out);
    }
    if (is("GET", {"v1", "subscriptions"})) {
        require(who, {Role::agency, Role::admin});
        json::array list;
        for (const auto& s : store.subscriptions(who.role == Role::agency ? who.agency : "")) {
            list.push_back(subscription_json(s));
        }
        return json_response(200, json::object{{"subscriptions", std::move(list)}});
    }
    if (is("DELETE", {"v1", "subscriptions", "*"})) {
        require(who, {Role::agency, Role::admin});
        const auto id = parse_id(path[2], "subscription id");
        cancel_subscription(store, id, who.role == Role::agency ? who.agency : "", now(), audit,
                            audit_context(who, r));
        return json_response(200, subscription_json(*store.subscription(id)));
    }
    return std::nullopt;
}

}  // namespace qreg::registry::http
