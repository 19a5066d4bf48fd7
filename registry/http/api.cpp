#include "api.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "../config.hpp"
#include "../match_config.hpp"
#include "../audit_config.hpp"
#include "../audit_json.hpp"
#include "../services/access_service.hpp"
#include "../services/audit_service.hpp"
#include "../services/audit_writer.hpp"
#include "../services/import_service.hpp"
#include "../services/profile.hpp"
#include "../services/review_service.hpp"
#include "../services/search_service.hpp"
#include "../services/sharing_service.hpp"
#include "../storage/store.hpp"
#include "api_support.hpp"
#include "assets.hpp"
#include "sharing_api.hpp"
#include "qreg/dedup/score.hpp"
#include "qreg/error.hpp"

namespace qreg::registry::http {

namespace json = boost::json;

namespace {

// A failure the client caused or may see: status, machine code, message.
struct Problem {
    int status;
    std::string code;
    std::string message;
};

Response problem_response(const Problem& p) {
    return json_response(p.status, json::object{{"error", p.code}, {"message", p.message}});
}

Problem problem_for(const Error& e) {
    switch (e.code()) {
    case ErrorCode::invalid_input: return {400, "invalid_input", e.what()};
    case ErrorCode::not_found: return {404, "not_found", e.what()};
    case ErrorCode::conflict: return {409, "conflict", e.what()};
    case ErrorCode::forbidden: return {403, "forbidden", e.what()};
    case ErrorCode::storage:
    case ErrorCode::internal: break;
    }
    return {500, "internal", "internal error; see the server log"};
}

void log_failure(const Request& r, const char* what) {
    fmt::print(stderr, "qreg serve: {} {} request {}: {}\n", r.method, r.path, r.request_id, what);
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        const auto slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
    }
    return parts;
}

std::string_view content_type_of(std::string_view name) {
    if (name.ends_with(".html")) return "text/html; charset=utf-8";
    if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
    if (name.ends_with(".css")) return "text/css; charset=utf-8";
    if (name.ends_with(".json")) return "application/json";
    if (name.ends_with(".svg")) return "image/svg+xml";
    return "application/octet-stream";
}

// The page loads only its own files: no inline script or style, no other origin, no framing.
// The one inline style allowed is the disclosure report's, which the page opens as a blob.
std::string page_csp() {
    return fmt::format(
        "default-src 'self'; script-src 'self'; style-src 'self' {}; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        report_style_source());
}

std::optional<std::string_view> asset(std::string_view name) {
    for (const auto& a : embedded_assets()) {
        if (a.name == name) return a.content;
    }
    return std::nullopt;
}

// The sources of all formats: agencies may look persons up by their own record ids.
std::vector<std::string> record_sources(const connectors::FormatCatalog& formats) {
    std::vector<std::string> out;
    for (const auto& f : formats.formats()) {
        if (std::find(out.begin(), out.end(), f.source) == out.end()) out.push_back(f.source);
    }
    return out;
}

json::object source_ref(const Link& link) {
    return {{"source", link.source}, {"record_id", link.record_id}, {"person_id", link.person_id}};
}

}  // namespace

struct Api::Impl {
    ApiOptions options;
    SearchIndex& search;
    connectors::FormatCatalog formats;
    dedup::MatchSettings match;
    SurvivorshipRules survivorship;
    std::optional<AuditKeys> audit_keys;
    SharingApi sharing;
    std::unique_ptr<AuditWriter> read_audit;  // spools the entries of reads, folds them in batches

    Impl(ApiOptions o, SearchIndex& s)
        : options(std::move(o)),
          search(s),
          formats(load_formats(options.config_dir)),
          match(load_match_settings(options.config_dir)),
          survivorship(load_survivorship(options.config_dir)),
          sharing(survivorship, record_sources(formats), options.clock) {
        Store store(options.db);
        audit_keys = open_audit_keys(store, load_audit_settings(options.config_dir, options.db.string()));
        Store::Transaction tx(store);
        sync_agencies(store, load_agencies(options.config_dir));
        tx.commit();
        read_audit = std::make_unique<AuditWriter>(options.db, *audit_keys);
    }

    // One connection, and one audit log on it, per worker thread (SQLite multi-thread mode).
    struct Connection {
        Connection(const std::filesystem::path& db, const AuditKeys& keys) : store(db), audit(store, keys) {}
        Store store;
        AuditLog audit;  // on `store`
        // The principals of tokens this connection authenticated, while the database stays as
        // it was (a revocation anywhere changes it): no token lookup for every request.
        std::unordered_map<std::string, Principal> principals;
        std::pair<std::int64_t, std::int64_t> principals_version{-1, -1};
    };
    Connection& connection() const {
        thread_local std::map<std::string, std::unique_ptr<Connection>> connections;
        auto& slot = connections[options.db.string()];
        if (!slot) slot = std::make_unique<Connection>(options.db, *audit_keys);
        return *slot;
    }
    Store& store() const { return connection().store; }
    AuditLog& audit() const { return connection().audit; }

    // An entry for a read, in the spool when this returns, in the log within a second
    // (services/audit_writer.hpp). (QREG_BENCH_WITHOUT_READ_AUDIT exists
    // only for the benchmark binary that measures what auditing reads costs; qreg never has it.)
    void record_read(const Principal& who, const Request& r, const char* action,
                     std::vector<std::int64_t> persons, std::vector<std::string> categories,
                     std::string details_json) const {
#ifdef QREG_BENCH_WITHOUT_READ_AUDIT
        return;
#endif
        auto entry = audit_entry(audit_context(who, r), action);
        entry.persons = std::move(persons);
        entry.categories = std::move(categories);
        entry.details_json = std::move(details_json);
        read_audit->append(std::move(entry));
    }

    Principal authenticate(const Request& r) const {
        const auto header = r.header("authorization");
        constexpr std::string_view scheme = "Bearer ";
        if (header.size() <= scheme.size() || !std::string_view(header).starts_with(scheme)) {
            throw Problem{401, "unauthorized",
                          "send Authorization: Bearer TOKEN (tokens come from `qreg token create`)"};
        }
        const auto token = std::string_view(header).substr(scheme.size());
        auto& c = connection();
        if (const auto version = c.store.content_version(); version != c.principals_version) {
            c.principals.clear();
            c.principals_version = version;
        }
        if (const auto known = c.principals.find(std::string(token)); known != c.principals.end()) {
            return known->second;
        }
        auto principal = registry::authenticate(c.store, token);
        if (!principal) throw Problem{401, "unauthorized", "unknown or revoked token"};
        constexpr std::size_t max_principals = 1024;  // valid tokens only; a bound all the same
        if (c.principals.size() >= max_principals) c.principals.clear();
        c.principals.emplace(token, *principal);
        return *principal;
    }

    Response route(const Request& r) const {
        const auto parts = split_path(r.path);
        const auto is = [&](std::string_view method, std::initializer_list<std::string_view> path) {
            return matches(r, parts, method, path);
        };

        // Public: liveness, and the web page's files (which hold no personal data).
        if (is("GET", {"healthz"})) return json_response(200, json::object{{"status", "ok"}});
        if (r.method == "GET" && (parts.empty() || (parts.size() == 2 && parts[0] == "static"))) {
            const auto name = parts.empty() ? std::string("http/web/index.html")
                                            : fmt::format("http/web/{}", parts[1]);
            if (const auto content = asset(name)) {
                Response page{200, std::string(content_type_of(name)), std::string(*content), {}};
                if (name.ends_with(".html")) {
                    page.headers.emplace_back("Content-Security-Policy", page_csp());
                    page.headers.emplace_back("Referrer-Policy", "no-referrer");
                }
                return page;
            }
            throw Problem{404, "not_found", "no such page"};
        }

        const auto who = authenticate(r);
        if (is("GET", {"v1", "openapi.json"})) {
            return Response{200, "application/json", std::string(*asset("http/openapi.json")), {}};
        }
        if (is("GET", {"v1", "me"})) {
            return json_response(200, json::object{{"name", who.name},
                                                   {"role", role_name(who.role)},
                                                   {"agency", who.agency}});
        }
        if (is("POST", {"v1", "imports"})) return import(r, who);
        if (is("GET", {"v1", "persons"})) {
            require(who, {Role::caseworker});
            return search_persons(r, who);
        }
        if (is("GET", {"v1", "persons", "*"})) {
            require(who, {Role::caseworker});
            return profile(parse_id(parts[2], "person id"), who, r);
        }
        // Everything below either shows or proves the log, or writes entries of its own: the
        // spooled entries of earlier reads go into the log first, so that it shows them and
        // keeps their order.
        read_audit->flush();
        if (is("POST", {"v1", "persons", "*", "split"})) {
            require(who, {Role::caseworker});
            return split(r, parse_id(parts[2], "person id"), who);
        }
        if (is("POST", {"v1", "persons", "*", "merge"})) {
            require(who, {Role::caseworker});
            return merge(r, parse_id(parts[2], "person id"), who);
        }
        if (is("GET", {"v1", "review"})) {
            require(who, {Role::caseworker});
            return review_queue(r);
        }
        if (is("POST", {"v1", "review", "*"})) {
            require(who, {Role::caseworker});
            return decide(r, parse_id(parts[2], "review id"), who);
        }
        if (is("GET", {"v1", "audit"})) {
            require(who, {Role::data_officer});
            return audit_entries(r);
        }
        if (is("GET", {"v1", "audit", "checkpoint"})) {
            require(who, {Role::data_officer, Role::admin});
            return audit_checkpoint();
        }
        if (is("GET", {"v1", "audit", "proof"})) {
            require(who, {Role::data_officer, Role::admin});
            return Response{200, "application/json",
                            to_json(audit().inclusion_proof(query_int(r, "entry", true).value(),
                                                            query_int(r, "size", false))),
                            {}};
        }
        if (is("GET", {"v1", "audit", "consistency"})) {
            require(who, {Role::data_officer, Role::admin});
            return Response{200, "application/json",
                            to_json(audit().consistency_proof(query_int(r, "from", true).value(),
                                                              query_int(r, "to", false))),
                            {}};
        }
        if (auto answer = sharing.route(r, parts, who, store(), audit())) return std::move(*answer);
        throw Problem{404, "not_found", fmt::format("no endpoint {} {}; see /v1/openapi.json",
                                                    r.method, r.path)};
    }

    static std::optional<std::int64_t> query_int(const Request& r, const char* key, bool required) {
        const auto it = r.query.find(key);
        if (it == r.query.end() || it->second.empty()) {
            if (required) throw Error(ErrorCode::invalid_input, fmt::format("give ?{}=N", key));
            return std::nullopt;
        }
        return parse_id(it->second, key);
    }

    // The latest signed checkpoint; a new one is signed first when entries came after it.
    Response audit_checkpoint() const {
        auto& log = audit();
        auto latest = log.latest_checkpoint();
        if (!latest || latest->tree_size != log.size()) latest = log.checkpoint(utc_now());
        return Response{200, "application/json", to_json(*latest), {}};
    }

    Response audit_entries(const Request& r) const {
        AuditFilter filter;
        filter.person_id = query_int(r, "person_id", false);
        const auto text = [&](const char* key) {
            const auto it = r.query.find(key);
            return it == r.query.end() ? std::string() : it->second;
        };
        filter.actor = text("actor");
        filter.agency = text("agency");
        filter.action = text("action");
        filter.from = text("from");
        filter.to = text("to");
        AuditPageRequest page;
        page.after_seq = query_int(r, "after", false).value_or(0);
        page.limit = std::min<std::int64_t>(query_int(r, "limit", false).value_or(100), 1000);
        const auto found = audit().entries(filter, page);
        std::string body = R"({"entries":[)";
        for (std::size_t i = 0; i < found.entries.size(); ++i) {
            if (i) body += ',';
            body += to_json(found.entries[i]);
        }
        body += fmt::format(R"(],"next_after":{}}})", found.next_after_seq);
        return Response{200, "application/json", body, {}};
    }

    Response import(const Request& r, const Principal& who) const {
        require(who, {Role::agency, Role::admin});
        const auto format_it = r.query.find("format");
        if (format_it == r.query.end() || format_it->second.empty()) {
            throw Problem{400, "invalid_input", "give the export format: /v1/imports?format=ba-csv-v1"};
        }
        const auto& format = format_it->second;
        if (!formats.find(format)) (void)formats.make_parser(format, "");  // names the formats
        if (who.role == Role::agency) {
            const auto agency = store().agency(who.agency);
            const bool allowed = agency && std::find(agency->formats.begin(), agency->formats.end(),
                                                     format) != agency->formats.end();
            if (!allowed) {
                throw Problem{403, "forbidden",
                              fmt::format("agency {} may not push format {}", who.agency, format)};
            }
        }
        if (r.body_file.empty()) throw Problem{400, "invalid_input", "the export file is the body"};
        const auto name_it = r.query.find("filename");
        const std::string name = name_it != r.query.end() && !name_it->second.empty()
                                     ? name_it->second
                                     : "upload";
        const auto ctx = audit_context(who, r);
        const auto summary = import_files(store(), formats, format, who.actor(), {{name, r.body_file}},
                                          {}, &audit(), ctx, &match);
        return Response{200, "application/json", to_json(summary), {}};
    }

    Response search_persons(const Request& r, const Principal& who) const {
        SearchQuery q;
        const auto get = [&](const char* key) {
            const auto it = r.query.find(key);
            return it == r.query.end() ? std::string() : it->second;
        };
        q.name = get("name");
        q.birth_date = get("birth_date");
        q.identifier = get("identifier");
        if (const auto limit = get("limit"); !limit.empty()) {
            q.limit = static_cast<std::size_t>(std::min<std::int64_t>(parse_id(limit, "limit"), 200));
        }
        search.refresh(store());
        const auto hits = search.search(q);
        std::vector<std::int64_t> found;
        for (const auto& hit : hits) found.push_back(hit.person_id);
        record_read(who, r, audit_action::search, found, {},
                    json::serialize(json::object{{"name", q.name},
                                                 {"birth_date", q.birth_date},
                                                 {"identifier", q.identifier},
                                                 {"results", hits.size()}}));
        json::array results;
        for (const auto& hit : hits) {
            json::array on;
            for (const auto& m : hit.matched_on) on.emplace_back(m);
            results.push_back(json::object{{"person_id", hit.person_id},
                                           {"display_name", hit.display_name},
                                           {"birth_date", hit.birth_date},
                                           {"score", std::round(hit.score * 100) / 100},
                                           {"matching_records", hit.matching_records},
                                           {"matched_on", std::move(on)}});
        }
        return json_response(200, json::object{{"results", std::move(results)}});
    }

    Response profile(std::int64_t person_id, const Principal& who, const Request& r) const {
        auto records = store().person_records(person_id);
        if (records.empty()) throw Problem{404, "not_found", fmt::format("no person {}", person_id)};
        record_read(who, r, audit_action::profile_read, {person_id},
                    {profile_categories.begin(), profile_categories.end()}, "{}");
        return Response{200, "application/json",
                        profile_of_records(person_id, std::move(records), survivorship),
                        {}};
    }

    Response split(const Request& r, std::int64_t person_id, const Principal& who) const {
        const auto body = parse_body(r);
        const auto* list = body.if_contains("records");
        if (!list || !list->is_array()) {
            throw Error(ErrorCode::invalid_input,
                        "\"records\": a list of {\"source\", \"record_id\"} to move is required");
        }
        std::vector<RecordKey> keys;
        for (const auto& item : list->as_array()) {
            if (!item.is_object()) throw Error(ErrorCode::invalid_input, "each record is an object");
            keys.push_back({string_member(item.as_object(), "source"),
                            string_member(item.as_object(), "record_id")});
        }
        const auto new_id = split_person(store(), person_id, keys, utc_now(), &audit(), audit_context(who, r));
        return json_response(200, json::object{{"person_id", person_id}, {"new_person_id", new_id}});
    }

    Response merge(const Request& r, std::int64_t person_id, const Principal& who) const {
        const auto body = parse_body(r);
        const auto* other = body.if_contains("person_id");
        if (!other || !other->is_int64()) {
            throw Error(ErrorCode::invalid_input, "\"person_id\" (a number) of the other person is required");
        }
        merge_persons(store(), person_id, other->as_int64(), utc_now(), &audit(), audit_context(who, r));
        return json_response(200, json::object{{"person_id", person_id},
                                               {"merged", other->as_int64()}});
    }

    Response review_queue(const Request& r) const {
        std::size_t limit = 50;
        if (const auto it = r.query.find("limit"); it != r.query.end()) {
            limit = static_cast<std::size_t>(std::min<std::int64_t>(parse_id(it->second, "limit"), 500));
        }
        auto& db = store();
        search.refresh(db);
        const auto queue = db.review_queue();
        json::array items;
        for (const auto& pair : queue) {
            if (items.size() >= limit) break;
            const auto a = db.record_key(pair.record_a), b = db.record_key(pair.record_b);
            if (!a || !b) continue;
            const auto ra = db.record(a->source, a->record_id), rb = db.record(b->source, b->record_id);
            if (!ra || !rb) continue;
            const auto e = search.explain(ra->current, rb->current);
            json::array fields;
            for (const auto& f : e.fields) {
                const auto& names = dedup::level_names(f.field);
                fields.push_back(json::object{
                    {"field", dedup::field_name(f.field)},
                    {"level", f.level < 0 ? std::string("missing")
                                          : names[static_cast<std::size_t>(f.level)]},
                    {"weight", std::round(f.weight * 100) / 100},
                    {"tf_adjustment", std::round(f.tf_adjustment * 100) / 100}});
            }
            items.push_back(json::object{{"id", pair.id},
                                         {"weight", std::round(pair.weight * 100) / 100},
                                         {"a", source_ref(*a)},
                                         {"b", source_ref(*b)},
                                         {"explanation", json::object{{"fields", std::move(fields)},
                                                                      {"total", e.total},
                                                                      {"conflict", e.conflict}}}});
        }
        return json_response(200, json::object{{"total", queue.size()}, {"items", std::move(items)}});
    }

    Response decide(const Request& r, std::int64_t review_id, const Principal& who) const {
        const auto decision = string_member(parse_body(r), "decision");
        if (decision != "link" && decision != "separate") {
            throw Error(ErrorCode::invalid_input, "\"decision\" is \"link\" or \"separate\"");
        }
        decide_review(store(), review_id, decision == "link", utc_now(), &audit(), audit_context(who, r));
        return json_response(200, json::object{{"id", review_id}, {"decision", decision}});
    }
};

Api::Api(ApiOptions options, SearchIndex& search)
    : impl_(std::make_unique<Impl>(std::move(options), search)) {}
Api::~Api() = default;

Response Api::handle(const Request& request) const {
    try {
        return impl_->route(request);
    } catch (const Problem& p) {
        auto response = problem_response(p);
        if (p.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
        return response;
    } catch (const Error& e) {
        const auto p = problem_for(e);
        if (p.status >= 500) log_failure(request, e.what());
        return problem_response(p);
    } catch (const std::exception& e) {
        log_failure(request, e.what());
        return problem_response({500, "internal", "internal error; see the server log"});
    }
}

}  // namespace qreg::registry::http
