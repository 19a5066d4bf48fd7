// qreg-audit-fill: appends N realistic audit entries to a database through AuditLog, a batch
// per transaction under one head signature; for bench/audit_verify_bench.sh. (One transaction
// for all of 10,000,000 would grow the WAL to the size of the database first.) The lookup
// indexes are built once at the end: inserting into indexes keyed by hashes row by row is
// random I/O once they outgrow the page cache, years of requests but not a benchmark's minutes.
#include <CLI/CLI.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "audit_config.hpp"
#include "services/audit_service.hpp"
#include "storage/audit_store.hpp"
#include "storage/store.hpp"

namespace reg = qreg::registry;

namespace {

// A day's mix at a municipality: mostly profile reads, then searches and shares.
qreg::AuditEntry make_entry(std::uint64_t i) {
    static const char* const agencies[] = {"ba", "jobcenter", "bamf"};
    static const char* const roles[] = {"caseworker", "caseworker", "caseworker", "supervisor"};
    qreg::AuditEntry e;
    const auto second = 1764000000 + static_cast<std::int64_t>(i / 4);
    e.time = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                         std::chrono::sys_seconds(std::chrono::seconds(second)));
    e.actor = {fmt::format("{}-user-{}", agencies[i % 3], i % 997), roles[i % 4], agencies[i % 3]};
    e.request_id = fmt::format("req-{:016x}", i * 0x9e3779b97f4a7c15ULL);
    const auto person = static_cast<std::int64_t>((i * 7919) % 2000000) + 1;
    switch (i % 10) {
        case 0:
        case 1:
            e.action = qreg::audit_action::search;
            e.details_json = fmt::format(R"({{"query":{{"family_name":"name{}","birth_year":{}}},"hits":{}}})",
                                         i % 50000, 1970 + i % 40, i % 4);
            break;
        case 2:
            e.action = qreg::audit_action::share_pull;
            e.persons = {person};
            e.categories = {"identity", "qualifications", "languages"};
            e.legal_basis = fmt::format("consent:{}", person * 3);
            e.details_json = R"({"to":"jobcenter","fields":17})";
            break;
        default:
            e.action = qreg::audit_action::profile_read;
            e.persons = {person};
            e.categories = {"identity", "qualifications"};
            e.legal_basis = "§ 50 SGB II";
            break;
    }
    return e;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Append N synthetic audit entries to a qreg database (benchmark data)."};
    std::string db;
    std::uint64_t count = 0;
    std::uint64_t batch = 100000;
    app.add_option("--db", db, "database file (created when absent)")->required();
    app.add_option("--entries", count, "how many entries")->required();
    app.add_option("--batch", batch, "entries per transaction and head signature");
    CLI11_PARSE(app, argc, argv);
    try {
        reg::Store store(db);
        const auto settings = reg::load_audit_settings(QREG_SOURCE_CONFIG_DIR, db);
        reg::AuditLog log(store, reg::open_audit_keys(store, settings));
        reg::AuditStore tables(store);
        tables.drop_secondary_indexes();
        std::vector<qreg::AuditEntry> entries;
        const auto started = std::chrono::steady_clock::now();
        for (std::uint64_t done = 0; done < count;) {
            entries.clear();
            for (std::uint64_t i = 0; i < batch && done < count; ++i, ++done) {
                entries.push_back(make_entry(done));
            }
            reg::Store::Transaction tx(store);
            log.append(entries);
            tx.commit();
            if (done % 1000000 == 0) {
                fmt::print(stderr, "{} entries, {:.0f} s\n", done,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                               .count());
            }
        }
        reg::Store::Transaction tx(store);
        tables.create_secondary_indexes();
        tx.commit();
        fmt::print(stderr, "indexes built, {:.0f} s\n",
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "qreg-audit-fill: {}\n", e.what());
        return 1;
    }
}
