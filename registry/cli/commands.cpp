#include "commands.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "../audit/crypto.hpp"
#include "../audit/merkle.hpp"
#include "../audit_config.hpp"
#include "../audit_json.hpp"
#include "../config.hpp"
#include "service_commands.hpp"
#include "../match_config.hpp"
#include "../json_text.hpp"
#include "../record_json.hpp"
#include "../services/audit_service.hpp"
#include "../services/audit_writer.hpp"
#include "../services/erase_service.hpp"
#include "../services/import_service.hpp"
#include "../services/match_service.hpp"
#include "../storage/store.hpp"
#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

namespace qreg::registry::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

struct Globals {
    std::string config_dir;
    fs::path executable;
};

// Progress on a terminal only, at most a few times a second.
class ProgressLine {
public:
    explicit ProgressLine(std::uint64_t total_bytes) : total_(total_bytes), active_(isatty(2) != 0) {}
    ~ProgressLine() {
        if (shown_) fmt::print(stderr, "\n");
    }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    void update(const ImportProgress& p, std::uint64_t done_before) {
        if (!active_) return;
        if (p.matching) {
            fmt::print(stderr, "\rall files stored; matching the records against the registry ...   ");
            std::fflush(stderr);
            shown_ = true;
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        if (shown_ && now - last_ < std::chrono::milliseconds(200)) return;
        last_ = now;
        shown_ = true;
        const double done = static_cast<double>(done_before + p.bytes_read);
        const double pct = total_ ? 100.0 * done / static_cast<double>(total_) : 100.0;
        fmt::print(stderr, "\rimporting {}: {:.1f} MB, {} records, {:.0f} %   ", p.file,
                   static_cast<double>(p.bytes_read) / 1e6, p.records, pct);
        std::fflush(stderr);
    }

private:
    std::uint64_t total_;
    bool active_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point last_{};
};

connectors::FormatCatalog formats(const Globals& g) {
    return load_formats(find_config_dir(g.config_dir, g.executable));
}

// Exit status of a check that ran and found the log, or a proof, not to hold.
constexpr int check_failed = 3;

AuditSettings audit_settings(const Globals& g, const std::string& db) {
    return load_audit_settings(find_config_dir(g.config_dir, g.executable), db);
}

// For commands that write: the keys are made on first use.
AuditLog open_audit(const Globals& g, Store& store, const std::string& db) {
    return AuditLog(store, open_audit_keys(store, audit_settings(g, db)));
}

// For commands that only read: keys must exist.
AuditLog read_audit(const Globals& g, Store& store, const std::string& db) {
    return AuditLog(store, load_audit_keys(audit_settings(g, db)));
}

}  // namespace

std::string os_user() {
    std::string buffer(4096, '\0');
    passwd entry{};
    passwd* found = nullptr;
    if (getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found) {
        return found->pw_name;
    }
    if (const char* user = std::getenv("USER"); user && *user) return user;
    return fmt::format("uid:{}", geteuid());
}

// The CLI acts as the operator logged in, or as `--actor`; one request id per command.
AuditContext cli_context(const std::string& actor) {
    const auto id = audit::random_bytes(8);
    return {{actor.empty() ? os_user() : actor, "operator", ""},
            "cli-" + audit::to_hex(std::span<const std::uint8_t>(
                         reinterpret_cast<const std::uint8_t*>(id.data()), id.size()))};
}

namespace {

std::string read_input_file(const std::string& name) {
    const auto text = read_key_file(name);
    if (!text) throw Error(ErrorCode::invalid_input, fmt::format("cannot read {}: no such file", name));
    return *text;
}

void print_summary(const ImportSummary& s) {
    fmt::print("imported {} file(s) as {}: {} records received\n", s.files.size(), s.format,
               s.received);
    fmt::print("  new {}, updated {}, unchanged {}, stale {}, retracted {}, rejected {}\n",
               s.created, s.updated, s.unchanged, s.stale, s.retracted, s.rejected);
    if (const auto& m = s.matching; !m) {
        fmt::print("  not matched (--no-match): `qreg dedup` links the records to persons\n");
    } else if (m->full) {
        fmt::print("  matched by recomputing all persons: {} records -> {} persons, {} records "
                   "changed person, {} possible matches for review\n",
                   m->records, m->persons, m->records_moved, m->review_pairs);
    } else {
        fmt::print("  matched {} changed records against {} registry records ({} read in full, the "
                   "others ruled out on their summaries); {} records of the persons concerned "
                   "clustered again into {} persons, {} changed person, {} possible matches for review\n",
                   m->records, m->compared, m->read, m->reclustered, m->persons, m->records_moved,
                   m->review_pairs);
    }
    for (const auto& p : s.rejects) fmt::print("  rejected {}:{}: {}\n", p.file, p.line, p.reason);
    if (s.rejected > s.rejects.size()) {
        fmt::print("  ... {} more rejects: see `qreg rejects`\n", s.rejected - s.rejects.size());
    }
    if (s.warning_count > 0) {
        fmt::print("  {} warning(s)\n", s.warning_count);
        std::size_t shown = 0;
        for (const auto& w : s.warnings) {
            if (++shown > 20) {
                fmt::print("  ... (--json lists them all)\n");
                break;
            }
            fmt::print("  warning {}:{}: {}\n", w.file, w.line, w.message);
        }
    }
    if (s.rejected > 0) {
        fmt::print("rejected rows are kept in the database; list them with `qreg rejects`\n");
    }
}

int import_command(const Globals& g, const std::string& db, const std::string& format,
                   const std::vector<std::string>& files, bool as_json, const std::string& actor,
                   bool match) {
    const auto catalog = formats(g);
    std::optional<dedup::MatchSettings> settings;
    if (match) settings = load_match_settings(find_config_dir(g.config_dir, g.executable));
    std::vector<ImportFile> list;
    std::uint64_t total = 0;
    for (const auto& name : files) {
        std::error_code ec;
        const auto size = fs::file_size(name, ec);
        if (!ec) total += size;
        list.push_back({name, name});
    }
    Store store(db);
    auto audit = open_audit(g, store, db);
    const auto context = cli_context(actor);
    ImportSummary summary;
    {
        ProgressLine progress(total);
        std::string_view current;
        std::uint64_t done = 0, last = 0;
        const auto on_progress = [&](const ImportProgress& p) {
            if (p.file != current) {  // the next file: the one before is done
                done += last;
                current = p.file;
            }
            last = p.bytes_read;
            progress.update(p, done);
        };
        summary = import_files(store, catalog, format, context.actor.principal, list, on_progress,
                               &audit, context, settings ? &*settings : nullptr);
    }
    if (as_json) {
        fmt::print("{}\n", to_json(summary));
    } else {
        print_summary(summary);
    }
    return 0;
}

// Raw bytes as UTF-8 text for display: as they are when valid UTF-8, else read as Windows-1252.
std::pair<std::string, std::string> displayable(const std::string& raw) {
    if (connectors::is_valid_utf8(raw)) return {raw, "utf-8"};
    if (auto text = connectors::cp1252_to_utf8(raw)) return {std::move(*text), "windows-1252"};
    std::string hex;
    for (const unsigned char c : raw) hex += fmt::format("{:02x}", c);
    return {hex, "hex"};
}

int records_command(const std::string& db, const std::string& source, const std::string& id) {
    Store store(db);
    const auto found = store.record(source, id);
    if (!found) {
        throw Error(ErrorCode::not_found,
                    fmt::format("no record with that id from source {} in {}; `qreg links --db {}` "
                                "lists the records",
                                source, db, db));
    }
    json::array history;
    for (const auto& v : found->versions) {
        auto [raw, encoding] = displayable(v.raw);
        boost::system::error_code ec;
        history.push_back(json::object{{"version_id", v.id},
                                       {"stand", v.stand},
                                       {"retracted", v.is_retracted},
                                       {"current", v.is_current},
                                       {"file", v.file},
                                       {"line", v.line},
                                       {"import_id", v.import_id},
                                       {"warnings", json::parse(v.warnings_json, ec)},
                                       {"raw", raw},
                                       {"raw_encoding", encoding},
                                       {"canonical", json::parse(v.canonical_json, ec)}});
    }
    std::string current_raw;
    for (const auto& v : found->versions) {
        if (v.is_current) current_raw = v.raw;
    }
    auto [raw, encoding] = displayable(current_raw);
    const json::object out{{"source", found->current.source},
                           {"record_id", found->current.record_id},
                           {"person_id", found->person_id},
                           {"canonical", json::parse(to_json(found->current))},
                           {"raw", raw},
                           {"raw_encoding", encoding},
                           {"history", std::move(history)}};
    fmt::print("{}\n", compact_json(out));
    return 0;
}

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

int links_command(const std::string& db) {
    Store store(db);
    std::string out = "source,record_id,person_id\n";
    store.for_each_link([&](const Link& l) {
        out += fmt::format("{},{},{}\n", csv_field(l.source), csv_field(l.record_id), l.person_id);
        if (out.size() > (1 << 16)) {
            std::fwrite(out.data(), 1, out.size(), stdout);
            out.clear();
        }
    });
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

int rejects_command(const std::string& db) {
    Store store(db);
    for (const auto& r : store.rejects()) {
        auto [raw, encoding] = displayable(r.raw);
        const json::object o{{"id", r.id},         {"import_id", r.import_id}, {"format", r.format},
                             {"file", r.file},     {"line", r.line},           {"reason", r.reason},
                             {"record_id", r.record_id}, {"raw", raw},        {"raw_encoding", encoding}};
        fmt::print("{}\n", json::serialize(o));
    }
    return 0;
}

RecordRef parse_ref(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        throw Error(ErrorCode::invalid_input, "--record takes SOURCE:ID, e.g. ba:962D071234");
    }
    return {text.substr(0, colon), text.substr(colon + 1)};
}

int dedup_command(const Globals& g, const std::string& db, bool retrain, bool progress,
                  const std::string& actor) {
    const auto settings = load_match_settings(find_config_dir(g.config_dir, g.executable));
    Store store(db);
    auto audit = open_audit(g, store, db);
    progress = progress || isatty(2) != 0;
    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    const auto report = run_dedup(
        store, settings, retrain, utc_now(),
        [&](std::string_view step) {
            if (progress) fmt::print(stderr, "dedup: {:6.1f} s  {}...\n", elapsed(), step);
        },
        &audit, cli_context(actor));
    const double secs = elapsed();
    fmt::print("{} records -> {} persons ({} records changed person) in {:.1f} s\n", report.records,
               report.persons, report.records_moved, secs);
    fmt::print("  {} pairs in blocks (a pair once per block it is in) scored, block by block; {} distinct pairs "
               "compared in full, the rest below the review weight on a bound; {} blocks, largest {}, {} split "
               "by a finer key, {} compared in a window\n",
               report.pairs_scored, report.names_compared, report.blocking.blocks, report.blocking.largest_block,
               report.blocking.refined_blocks, report.blocking.windowed_blocks);
    fmt::print("  {} possible matches in the review queue\n", report.review_pairs);
    if (report.trained) fmt::print("  model trained by EM in {} iterations and stored\n", report.em_iterations);
    return 0;
}

int train_command(const Globals& g, const std::string& db) {
    const auto settings = load_match_settings(find_config_dir(g.config_dir, g.executable));
    Store store(db);
    const auto report = train_model(store, settings, utc_now());
    fmt::print("EM over the candidate pairs of {} pairs in blocks (a sample where more): {} iterations, {}\n",
               report.pairs, report.iterations,
               report.converged ? "converged" : "NOT converged (raise em.max_iterations)");
    fmt::print("prior P(same person) among candidates: {:.6f}\n", report.parameters.prior);
    fmt::print("{:<20} {:<12} {:>10} {:>10} {:>8}\n", "field", "level", "m", "u", "weight");
    for (std::size_t f = 0; f < report.parameters.fields.size(); ++f) {
        if (!settings.score.enabled[f]) continue;
        const auto& field = report.parameters.fields[f];
        for (std::size_t l = 0; l < field.levels.size(); ++l) {
            fmt::print("{:<20} {:<12} {:>10.6f} {:>10.6f} {:>8.2f}\n", l == 0 ? field.name : "",
                       field.levels[l], field.m[l], field.u[l],
                       dedup::level_weight(field, static_cast<std::int8_t>(l)));
        }
    }
    fmt::print("run `qreg dedup` to recompute the persons with this model\n");
    return 0;
}

int explain_command(const Globals& g, const std::string& db, const std::vector<std::string>& refs) {
    if (refs.size() != 2) throw Error(ErrorCode::invalid_input, "explain takes --record twice");
    const auto settings = load_match_settings(find_config_dir(g.config_dir, g.executable));
    Store store(db);
    fmt::print("{}", explain_pair(store, settings, parse_ref(refs[0]), parse_ref(refs[1])));
    return 0;
}

int audit_verify_command(const Globals& g, const std::string& db, bool as_json) {
    Store store(db);
    const auto result = read_audit(g, store, db).verify();
    if (as_json) {
        fmt::print("{}\n", to_json(result));
    } else if (result.ok) {
        fmt::print("{} entries, root {}\n", result.entries, audit::to_hex(result.root_hash));
        fmt::print("{} checkpoint(s) and the signed head verify\n", result.checkpoints);
    } else {
        fmt::print("audit log does NOT verify: {}\n", result.problem);
    }
    if (const auto waiting = AuditWriter::spooled(db); waiting.entries > 0) {
        fmt::print(stderr,
                   "note: {} entries of reads wait in {} and are not checked yet; {}\n",
                   waiting.entries, AuditWriter::spool_path(db).string(),
                   waiting.held_by_server ? "the running server folds them into the log within a second"
                                          : "the next `qreg serve` on this database folds them in when it starts");
    }
    return result.ok ? 0 : check_failed;
}

int audit_checkpoint_command(const Globals& g, const std::string& db) {
    Store store(db);
    fmt::print("{}\n", to_json(open_audit(g, store, db).checkpoint(utc_now())));
    return 0;
}

int audit_proof_command(const Globals& g, const std::string& db, std::int64_t entry,
                        std::optional<std::int64_t> size) {
    Store store(db);
    fmt::print("{}\n", to_json(read_audit(g, store, db).inclusion_proof(entry, size)));
    return 0;
}

int audit_consistency_command(const Globals& g, const std::string& db, std::int64_t from,
                              std::optional<std::int64_t> to) {
    Store store(db);
    fmt::print("{}\n", to_json(read_audit(g, store, db).consistency_proof(from, to)));
    return 0;
}

int audit_check_proof_command(const std::string& proof, const std::string& checkpoint,
                              const std::string& public_key_file) {
    std::optional<std::string> key;
    if (!public_key_file.empty()) {
        key = audit::public_key_from_pem(read_input_file(public_key_file), public_key_file);
    }
    const auto result = check_proof(read_input_file(proof), read_input_file(checkpoint), key);
    fmt::print("{}: {}\n", result.ok ? "proof holds" : "proof does NOT hold", result.message);
    return result.ok ? 0 : check_failed;
}

int audit_log_command(const Globals& g, const std::string& db, const AuditFilter& filter,
                      AuditPageRequest page, std::int64_t limit) {
    Store store(db);
    const auto audit = read_audit(g, store, db);
    // Pages of at most 1000 until `limit` entries (0: all) are printed.
    std::int64_t printed = 0;
    for (;;) {
        page.limit = limit > 0 ? std::min<std::int64_t>(1000, limit - printed) : 1000;
        const auto result = audit.entries(filter, page);
        for (const auto& e : result.entries) fmt::print("{}\n", to_json(e));
        printed += static_cast<std::int64_t>(result.entries.size());
        if (result.next_after_seq == 0 || (limit > 0 && printed >= limit)) break;
        page.after_seq = result.next_after_seq;
    }
    return 0;
}

int audit_public_key_command(const Globals& g, const std::string& db) {
    Store store(db);
    const auto audit = read_audit(g, store, db);
    fmt::print("{}", audit::public_key_to_pem(audit.public_key()));
    return 0;
}

int erase_command(const Globals& g, const std::string& db, std::int64_t person,
                  const std::string& actor, const std::string& legal_basis) {
    Store store(db);
    auto audit = open_audit(g, store, db);
    const auto r = erase_person(store, audit, person, cli_context(actor), legal_basis, utc_now());
    fmt::print("person {} erased: {} record(s) deleted with their versions; {} audit index row(s) "
               "pseudonymised\n",
               r.person_id, r.records, r.audit_rows_cleared);
    fmt::print("the audit log names the person {} from now on; erase entry {}\n", r.pseudonym,
               r.audit_entry);
    return 0;
}

int formats_command(const Globals& g) {
    for (const auto& f : formats(g).formats()) {
        fmt::print("{:<20} source {:<10} {}\n", f.name, f.source, f.description);
    }
    return 0;
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{
        "qreg: a shared registry of refugees' qualifications.\n"
        "Agencies' exports are imported, linked into one profile per person, and shared only\n"
        "under consent. Run `qreg COMMAND --help` for a command's options."};
    app.require_subcommand(1);
    Globals g;
    g.executable = argv[0];
    app.add_option("--config", g.config_dir,
                   "configuration folder (default: $QREG_CONFIG_DIR, else the repository's config/)");

    std::string db;
    const auto add_db = [&db](CLI::App* cmd) {
        cmd->add_option("--db", db, "the registry's SQLite database file")->required();
    };

    auto* import = app.add_subcommand(
        "import", "import agency export files into the registry (one transaction for all files)");
    add_db(import);
    std::string format;
    std::vector<std::string> files;
    bool as_json = false;
    std::string actor;
    const auto add_actor = [&actor](CLI::App* cmd) {
        cmd->add_option("--actor", actor,
                        "who acts, for the audit log (default: the logged-in OS user)");
    };
    import->add_option("--format", format, "export format, e.g. ba-csv-v1 (see `qreg formats`)")
        ->required();
    import->add_flag("--json", as_json, "print the summary as one JSON object on stdout");
    bool no_match = false;
    import->add_flag("--no-match", no_match,
                     "only store the records; match them later with `qreg dedup` (for a first bulk "
                     "load; until then the next matching import recomputes all persons)");
    add_actor(import);
    import->add_option("files", files, "export files to import")->required();
    import->footer(
        "Exit status 0 when the files were processed, even with rejected rows (listed in the\n"
        "summary and kept in the database); non-zero when a file cannot be read or the format\n"
        "is unknown, and then nothing is imported.\n"
        "The imported records are matched against the registry in the same transaction: against\n"
        "their neighbourhood when the registry's match index is built and the import changes\n"
        "less than a quarter of it (config/matching.json: incremental.full_recompute_share),\n"
        "else by recomputing all persons (as `qreg dedup` does).");

    auto* records = app.add_subcommand("records", "print one stored record as JSON: fields, raw text, history");
    add_db(records);
    std::string source, id;
    records->add_option("--source", source, "source name: ba, jobcenter, bamf, ...")->required();
    records->add_option("--id", id, "the source's record id")->required();

    auto* links = app.add_subcommand("links", "print CSV source,record_id,person_id for every record");
    add_db(links);

    auto* rejects = app.add_subcommand("rejects", "print the rejected rows kept for correction, as JSON lines");
    add_db(rejects);

    auto* fmts = app.add_subcommand("formats", "list the export formats this registry reads");

    auto* dedup = app.add_subcommand(
        "dedup", "recompute all persons from scratch: block, score, cluster (trains first if no model)");
    add_db(dedup);
    bool retrain = false;
    dedup->add_flag("--retrain", retrain, "re-estimate the model by EM before clustering");
    bool progress = false;
    dedup->add_flag("--progress", progress,
                    "print each step with the seconds elapsed to stderr (the default on a terminal)");
    add_actor(dedup);

    auto* train = app.add_subcommand("train", "re-estimate the matching model by EM and store it");
    add_db(train);

    auto* explain = app.add_subcommand(
        "explain", "show each field's comparison level and weight for two records, and the total");
    add_db(explain);
    std::vector<std::string> refs;
    explain->add_option("--record", refs, "SOURCE:ID of a record; give it twice")
        ->required()
        ->take_all()
        ->allow_extra_args(false);

    auto* audit = app.add_subcommand(
        "audit", "the tamper-evident audit log: verify, checkpoints, proofs, listing");
    audit->require_subcommand(1);
    auto* verify = audit->add_subcommand(
        "verify", "recompute the Merkle tree, check every entry, the head and every checkpoint");
    add_db(verify);
    verify->add_flag("--json", as_json, "print the result as one JSON object");
    verify->footer("Exit status 0 with the entry count and root hash when all holds; 3 naming the\n"
                   "first entry or checkpoint that does not.");
    auto* checkpoint = audit->add_subcommand(
        "checkpoint", "sign the current tree as a new checkpoint and print it as JSON");
    add_db(checkpoint);
    auto* proof = audit->add_subcommand("proof", "print an inclusion proof for an entry as JSON");
    add_db(proof);
    std::int64_t entry = 0;
    std::optional<std::int64_t> size, to;
    proof->add_option("--entry", entry, "the entry (seq, from 1)")->required();
    proof->add_option("--size", size, "tree size (default: the latest checkpoint's)");
    auto* consistency = audit->add_subcommand(
        "consistency", "print a consistency proof between two tree sizes as JSON");
    add_db(consistency);
    std::int64_t from = 0;
    consistency->add_option("--from", from, "the older tree size (a kept checkpoint's)")->required();
    consistency->add_option("--to", to, "the newer tree size (default: the latest checkpoint's)");
    auto* check = audit->add_subcommand(
        "check-proof", "check a proof against a kept checkpoint, with no database");
    std::string proof_file, checkpoint_file, public_key_file;
    check->add_option("--proof", proof_file, "proof JSON from `qreg audit proof` or `consistency`")
        ->required();
    check->add_option("--checkpoint", checkpoint_file, "checkpoint JSON kept outside the registry")
        ->required();
    check->add_option("--public-key", public_key_file,
                      "PEM public key the checkpoints must be signed with (`qreg audit public-key`)");
    check->footer("Exit status 0 when the proof holds, 3 when it does not.");
    auto* log = audit->add_subcommand("log", "list audit entries as JSON lines, oldest first");
    add_db(log);
    AuditFilter filter;
    AuditPageRequest page;
    std::int64_t limit = 0;
    log->add_option("--person", filter.person_id, "entries concerning this person id");
    log->add_option("--actor", filter.actor, "entries by this principal");
    log->add_option("--agency", filter.agency, "entries by this agency's principals");
    log->add_option("--action", filter.action, "e.g. import, search, share.pull, erase");
    log->add_option("--from", filter.from, "time >= this (YYYY-MM-DDTHH:MM:SSZ)");
    log->add_option("--to", filter.to, "time < this");
    log->add_option("--after", page.after_seq, "start after this entry");
    log->add_option("--limit", limit, "at most this many entries (default: all)");
    auto* public_key = audit->add_subcommand(
        "public-key", "print the log's public signing key (PEM) for checkers outside");
    add_db(public_key);

    auto* erase = app.add_subcommand(
        "erase", "Art. 17: delete a person's records; the audit log keeps them pseudonymised");
    add_db(erase);
    std::int64_t person = 0;
    std::string legal_basis = "GDPR Art. 17";
    erase->add_option("--person", person, "the person id")->required();
    erase->add_option("--legal-basis", legal_basis, "recorded in the audit entry")
        ->capture_default_str();
    add_actor(erase);

    const auto run_service_command = add_service_commands(app, g.config_dir, g.executable);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    if (*import) return import_command(g, db, format, files, as_json, actor, !no_match);
    if (*records) return records_command(db, source, id);
    if (*links) return links_command(db);
    if (*rejects) return rejects_command(db);
    if (*fmts) return formats_command(g);
    if (*dedup) return dedup_command(g, db, retrain, progress, actor);
    if (*verify) return audit_verify_command(g, db, as_json);
    if (*checkpoint) return audit_checkpoint_command(g, db);
    if (*proof) return audit_proof_command(g, db, entry, size);
    if (*consistency) return audit_consistency_command(g, db, from, to);
    if (*check) return audit_check_proof_command(proof_file, checkpoint_file, public_key_file);
    if (*log) return audit_log_command(g, db, filter, page, limit);
    if (*public_key) return audit_public_key_command(g, db);
    if (*erase) return erase_command(g, db, person, actor, legal_basis);
    if (*train) return train_command(g, db);
    if (*explain) return explain_command(g, db, refs);
    if (const auto rc = run_service_command()) return *rc;
    return 2;
}

}  // namespace qreg::registry::cli
