#include "service_commands.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "../audit_config.hpp"
#include "../config.hpp"
#include "../services/audit_service.hpp"
#include "commands.hpp"
#include "../http/api.hpp"
#include "../http/server.hpp"
#include "../match_config.hpp"
#include "../services/access_service.hpp"
#include "../services/clock.hpp"
#include "../services/delivery_service.hpp"
#include "../services/import_service.hpp"
#include "../services/profile.hpp"
#include "../services/search_service.hpp"
#include "../storage/store.hpp"
#include "qreg/error.hpp"

namespace qreg::registry::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

struct ServeArgs {
    std::string db;
    std::string listen;
    std::string tls_cert;
    std::string tls_key;
    bool insecure_http = false;
    unsigned threads = 0;
    std::string settings_file;  // default <config>/serve.json
    std::string port_file;
};

// `HOST:PORT`, `[v6]:PORT` or `:PORT`.
void parse_listen(const std::string& text, http::ServerOptions& o) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) {
        throw Error(ErrorCode::invalid_input, fmt::format("--listen '{}': give HOST:PORT, e.g. 127.0.0.1:8443", text));
    }
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (!host.empty()) o.host = host;
    unsigned port = 0;
    const auto digits = std::string_view(text).substr(colon + 1);
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || p != digits.data() + digits.size() || port > 65535) {
        throw Error(ErrorCode::invalid_input, fmt::format("--listen '{}': the port must be 0..65535", text));
    }
    o.port = static_cast<std::uint16_t>(port);
}

// <config>/serve.json (or --settings): defaults for what the command line does not say.
void apply_settings_file(const fs::path& file, bool required, http::ServerOptions& o, ServeArgs& a) {
    if (!required && !fs::exists(file)) return;
    json::error_code ec;
    const auto doc = json::parse(read_config_file(file), ec);
    if (ec || !doc.is_object()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not a JSON object", file.string()));
    }
    const auto& s = doc.as_object();
    const auto str = [&](const char* key, std::string& out) {
        if (const auto* v = s.if_contains(key); v && out.empty()) {
            if (!v->is_string()) throw Error(ErrorCode::invalid_input, fmt::format("{}: {} must be a string", file.string(), key));
            out = std::string(v->as_string());
        }
    };
    const auto num = [&](const char* key) -> std::optional<std::int64_t> {
        const auto* v = s.if_contains(key);
        if (!v) return std::nullopt;
        if (!v->is_int64() || v->as_int64() < 0) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: {} must be a non-negative number", file.string(), key));
        }
        return v->as_int64();
    };
    str("listen", a.listen);
    str("tls_cert", a.tls_cert);
    str("tls_key", a.tls_key);
    if (const auto t = num("threads"); t && a.threads == 0) a.threads = static_cast<unsigned>(*t);
    if (const auto b = num("max_body_bytes")) o.max_body_bytes = static_cast<std::size_t>(*b);
    if (const auto b = num("max_upload_bytes")) o.max_spooled_body_bytes = static_cast<std::size_t>(*b);
    if (const auto t = num("read_timeout_seconds")) o.read_timeout = std::chrono::seconds(*t);
    if (const auto t = num("upload_timeout_seconds")) o.upload_timeout = std::chrono::seconds(*t);
    if (const auto t = num("shutdown_grace_seconds")) o.shutdown_grace = std::chrono::seconds(*t);
}

fs::path relative_to(const fs::path& base, const std::string& path) {
    const fs::path p(path);
    return p.is_absolute() ? p : base / p;
}

int serve_command(const fs::path& config_dir, ServeArgs a) {
    http::ServerOptions o;
    const bool explicit_settings = !a.settings_file.empty();
    const fs::path settings = explicit_settings ? fs::path(a.settings_file) : config_dir / "serve.json";
    apply_settings_file(settings, explicit_settings, o, a);
    parse_listen(a.listen.empty() ? std::string("127.0.0.1:8443") : a.listen, o);
    o.insecure_http = a.insecure_http;
    o.threads = a.threads ? a.threads : std::max(2u, std::thread::hardware_concurrency());
    if (!o.insecure_http) {
        if (a.tls_cert.empty() || a.tls_key.empty()) {
            throw Error(ErrorCode::invalid_input,
                        "give --tls-cert and --tls-key (PEM files; scripts/dev-cert.sh makes a "
                        "self-signed pair), or --insecure-http for plain HTTP on a trusted network");
        }
        // Paths from the settings file are relative to it; from the command line, to the cwd.
        o.tls_cert = relative_to(settings.parent_path(), a.tls_cert);
        o.tls_key = relative_to(settings.parent_path(), a.tls_key);
        if (fs::exists(a.tls_cert)) o.tls_cert = a.tls_cert;
        if (fs::exists(a.tls_key)) o.tls_key = a.tls_key;
    } else {
        fmt::print(stderr,
                   "qreg serve: WARNING: --insecure-http: tokens and personal data travel "
                   "unencrypted; use this only for local testing\n");
    }
    o.spool_dir = fs::path(a.db).parent_path() / fmt::format("{}.uploads", fs::path(a.db).filename().string());
    if (o.spool_dir.parent_path().empty()) o.spool_dir = fs::path(".") / o.spool_dir;

    std::optional<AuditKeys> audit_keys;
    {
        Store migrate(a.db);  // opens, migrates, refuses a newer schema before we listen
        audit_keys.emplace(open_audit_keys(migrate, load_audit_settings(config_dir, a.db)));
    }
    SearchIndex search(load_match_settings(config_dir));
    const auto clock = Clock::from_environment();
    http::Api api({a.db, config_dir, clock}, search);
    {
        Store store(a.db);
        fmt::print(stderr, "qreg serve: indexing {} records for search...\n", store.record_count());
        search.refresh(store);
    }
    // Pushes to subscribed agencies run beside the server, on their own connection.
    const DeliveryWorker deliveries(a.db, *audit_keys, load_survivorship(config_dir),
                                    load_sharing_settings(config_dir), clock);
    const auto handler = [&api](const http::Request& r) { return api.handle(r); };
    http::serve(o, handler, [&](std::uint16_t port) {
        fmt::print(stderr, "qreg serve: listening on {}://{}:{} with {} threads (database {})\n",
                   o.insecure_http ? "http" : "https", o.host, port, o.threads, a.db);
        if (!a.port_file.empty()) {
            const auto tmp = a.port_file + ".tmp";
            std::ofstream(tmp) << port << "\n";
            fs::rename(tmp, a.port_file);
        }
    });
    return 0;
}

// Token changes are audited like every other access (who made or revoked which token).
void audit_token_change(Store& store, const fs::path& config_dir, const std::string& db,
                        const char* action, std::int64_t token_id, const std::string& details) {
    AuditLog audit(store, open_audit_keys(store, load_audit_settings(config_dir, db)));
    const auto context = cli_context("");
    auto entry = audit_entry(context, action);
    entry.details_json = fmt::format(R"({{"token_id":{}{}}})", token_id, details);
    audit.append(entry);
}

int deliver_command(const fs::path& config_dir, const std::string& db) {
    Store store(db);
    AuditLog audit(store, open_audit_keys(store, load_audit_settings(config_dir, db)));
    const auto report = run_outbox(store, audit, load_survivorship(config_dir),
                                   load_sharing_settings(config_dir), Clock::from_environment(),
                                   "qreg deliver");
    fmt::print("{} sent: {} delivered, {} to retry, {} failed, {} cancelled, {} unchanged\n",
               report.sent, report.delivered, report.retrying, report.failed, report.cancelled,
               report.unchanged);
    return 0;
}

void sync_configured_agencies(Store& store, const fs::path& config_dir) {
    Store::Transaction tx(store);
    sync_agencies(store, load_agencies(config_dir));
    tx.commit();
}

}  // namespace

std::function<std::optional<int>()> add_service_commands(CLI::App& app, const std::string& config_dir,
                                                         const fs::path& executable) {
    auto serve_args = std::make_shared<ServeArgs>();
    auto* serve = app.add_subcommand(
        "serve", "run the HTTPS service: search, profiles, review, imports (see /v1/openapi.json)");
    serve->add_option("--db", serve_args->db, "the registry's SQLite database file")->required();
    serve->add_option("--listen", serve_args->listen, "HOST:PORT to listen on (default 127.0.0.1:8443; port 0: any free)");
    serve->add_option("--tls-cert", serve_args->tls_cert, "PEM certificate chain");
    serve->add_option("--tls-key", serve_args->tls_key, "PEM private key of the certificate");
    serve->add_flag("--insecure-http", serve_args->insecure_http,
                    "plain HTTP without TLS (logs a warning; local testing only)");
    serve->add_option("--threads", serve_args->threads, "worker threads (default: the number of cores, at least 2)");
    serve->add_option("--settings", serve_args->settings_file,
                      "server settings file (default: <config>/serve.json when it exists)");
    serve->add_option("--port-file", serve_args->port_file, "write the bound port to this file once listening");
    serve->footer("Stops on SIGTERM or SIGINT: no new connections, requests in flight finish.");

    auto* token = app.add_subcommand("token", "create, list and revoke the bearer tokens of the HTTP API");
    token->require_subcommand(1);
    auto db = std::make_shared<std::string>();
    auto* create = token->add_subcommand("create", "create a token and print it once (only its hash is stored)");
    auto role = std::make_shared<std::string>(), name = std::make_shared<std::string>(),
         agency = std::make_shared<std::string>();
    create->add_option("--db", *db, "the registry's SQLite database file")->required();
    create->add_option("--role", *role, "caseworker, data-officer, admin or agency")->required();
    create->add_option("--name", *name, "whose token this is (recorded with everything it does)")->required();
    create->add_option("--agency", *agency, "for --role agency: the agency id (see `qreg agency list`)");
    auto* list = token->add_subcommand("list", "list tokens (never the tokens themselves)");
    list->add_option("--db", *db, "the registry's SQLite database file")->required();
    auto* revoke = token->add_subcommand("revoke", "revoke a token at once");
    auto token_id = std::make_shared<std::int64_t>(0);
    revoke->add_option("--db", *db, "the registry's SQLite database file")->required();
    revoke->add_option("--id", *token_id, "the token's id (see `qreg token list`)")->required();

    auto* agencies = app.add_subcommand("agency", "the agencies the registry knows (config/agencies.json and added ones)");
    agencies->require_subcommand(1);
    auto* agency_list = agencies->add_subcommand("list", "list the agencies");
    agency_list->add_option("--db", *db, "the registry's SQLite database file")->required();
    auto* agency_add = agencies->add_subcommand("add", "add or update an agency");
    auto kind = std::make_shared<std::string>("other");
    auto formats = std::make_shared<std::vector<std::string>>();
    auto agency_id = std::make_shared<std::string>();
    agency_add->add_option("--db", *db, "the registry's SQLite database file")->required();
    agency_add->add_option("--id", *agency_id, "a short id, e.g. ikt-vhs-koeln")->required();
    agency_add->add_option("--name", *name, "the agency's name")->required();
    agency_add->add_option("--kind", *kind, "e.g. jobcenter, integration_course_provider (default: other)");
    agency_add->add_option("--format", *formats, "an export format it may push; repeatable");

    auto* deliver = app.add_subcommand(
        "deliver", "run the push outbox once: send every delivery that is due, then exit");
    deliver->add_option("--db", *db, "the registry's SQLite database file")->required();
    deliver->footer("`qreg serve` does this by itself every second; settings: config/sharing.json.");

    return [=, &config_dir]() -> std::optional<int> {
        const auto config = [&] { return find_config_dir(config_dir, executable); };
        if (*serve) return serve_command(config(), *serve_args);
        if (*deliver) return deliver_command(config(), *db);
        if (*create) {
            Store store(*db);
            sync_configured_agencies(store, config());
            Store::Transaction tx(store);
            const auto made = create_token(store, parse_role(*role), *name, *agency, utc_now());
            json::object details{{"role", *role}, {"name", *name}, {"agency", *agency}};
            audit_token_change(store, config(), *db, audit_action::token_create, made.id,
                               "," + json::serialize(details).substr(1, json::serialize(details).size() - 2));
            tx.commit();
            fmt::print(stderr, "token {} for {} ({}) created; it is shown only this once:\n", made.id,
                       *name, *role);
            fmt::print("{}\n", made.token);
            return 0;
        }
        if (*list) {
            Store store(*db);
            fmt::print("{:>4}  {:<13} {:<20} {:<24} {:<21} {}\n", "id", "role", "agency", "name",
                       "created", "revoked");
            for (const auto& t : store.tokens()) {
                fmt::print("{:>4}  {:<13} {:<20} {:<24} {:<21} {}\n", t.id, t.role, t.agency, t.name,
                           t.created_at, t.revoked_at.empty() ? "-" : t.revoked_at);
            }
            return 0;
        }
        if (*revoke) {
            Store store(*db);
            Store::Transaction tx(store);
            if (!store.revoke_token(*token_id, utc_now())) {
                throw Error(ErrorCode::not_found,
                            fmt::format("no valid token {}; `qreg token list` shows them", *token_id));
            }
            audit_token_change(store, config(), *db, audit_action::token_revoke, *token_id, "");
            tx.commit();
            fmt::print("token {} revoked\n", *token_id);
            return 0;
        }
        if (*agency_list) {
            Store store(*db);
            sync_configured_agencies(store, config());
            for (const auto& a : store.agencies()) {
                std::string f;
                for (const auto& x : a.formats) f += (f.empty() ? "" : ",") + x;
                fmt::print("{:<24} {:<28} {:<48} {}\n", a.id, a.kind, a.name, f.empty() ? "-" : f);
            }
            return 0;
        }
        if (*agency_add) {
            Store store(*db);
            Store::Transaction tx(store);
            store.put_agency({*agency_id, *name, *kind, *formats});
            tx.commit();
            fmt::print("agency {} saved\n", *agency_id);
            return 0;
        }
        return std::nullopt;
    };
}

}  // namespace qreg::registry::cli
