// qreg-bench-audit-cost: what auditing one profile read costs, in CPU microseconds, without
// HTTP, TLS or wrk in the measurement (their noise on this VM is larger than the cost itself).
// The entries are the ones `qreg serve` writes for GET /v1/persons/{id}: appended to the spool
// by the calling thread (AuditWriter::append), then folded into the log by the writer's thread
// in batches of --batch (a second's reads at 10,000 requests per second), on a log that already
// holds --prefill entries. Prints the CPU time per entry of each part. For bench/audit_cost.sh.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <exception>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "audit_config.hpp"
#include "services/audit_service.hpp"
#include "services/audit_writer.hpp"
#include "services/profile.hpp"
#include "storage/store.hpp"
#include "../cpu_time.hpp"

namespace reg = qreg::registry;
using qreg::bench::thread_cpu_seconds;

namespace {

double process_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const auto seconds = [](const timeval& v) {
        return static_cast<double>(v.tv_sec) + static_cast<double>(v.tv_usec) / 1e6;
    };
    return seconds(u.ru_utime) + seconds(u.ru_stime);
}

// As Api::Impl::profile and record_read make it.
qreg::AuditEntry profile_read(std::mt19937_64& random, std::int64_t persons) {
    auto entry = reg::audit_entry(
        reg::AuditContext{{"bench", "caseworker", ""}, fmt::format("{:016x}", random())},
        qreg::audit_action::profile_read);
    entry.persons = {static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(persons)) + 1};
    entry.categories = {reg::profile_categories.begin(), reg::profile_categories.end()};
    entry.details_json = "{}";
    return entry;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"CPU cost of auditing profile reads: spool append and fold, per entry."};
    std::string db;
    std::int64_t prefill = 1000000;
    std::int64_t batch = 10000;
    std::int64_t rounds = 20;
    std::int64_t persons = 1000000;
    app.add_option("--db", db, "database file (created; must not exist)")->required();
    app.add_option("--prefill", prefill, "entries in the log before measuring")->capture_default_str();
    app.add_option("--batch", batch, "entries per fold")->capture_default_str();
    app.add_option("--rounds", rounds, "folds measured")->capture_default_str();
    app.add_option("--persons", persons, "person ids drawn from 1..N")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        if (std::filesystem::exists(db)) {
            fmt::print(stderr, "qreg-bench-audit-cost: {} exists; give a new file\n", db);
            return 2;
        }
        std::mt19937_64 random(7);
        const auto settings = reg::load_audit_settings(QREG_SOURCE_CONFIG_DIR, db);
        reg::AuditKeys keys = [&] {
            reg::Store store(db);
            auto k = reg::open_audit_keys(store, settings);
            reg::AuditLog log(store, k);
            for (std::int64_t done = 0; done < prefill;) {
                std::vector<qreg::AuditEntry> entries;
                for (; done < prefill && static_cast<std::int64_t>(entries.size()) < 100000; ++done) {
                    entries.push_back(profile_read(random, persons));
                }
                reg::Store::Transaction tx(store);
                log.append(entries);
                tx.commit();
            }
            return k;
        }();
        fmt::print(stderr, "log prefilled with {} entries\n", prefill);

        // Folds only when flush() asks.
        reg::AuditWriter writer(db, keys, {std::chrono::hours(1), static_cast<std::size_t>(batch) + 1});
        double append_cpu = 0;
        double fold_cpu = 0;
        double fold_wall = 0;
        for (std::int64_t round = 0; round < rounds; ++round) {
            std::vector<qreg::AuditEntry> entries;
            for (std::int64_t i = 0; i < batch; ++i) entries.push_back(profile_read(random, persons));
            const auto cpu = thread_cpu_seconds();
            for (auto& e : entries) writer.append(std::move(e));
            append_cpu += thread_cpu_seconds() - cpu;
            // The main thread waits in flush(): the process's CPU meanwhile is the fold's.
            const auto process = process_cpu_seconds();
            const auto wall = std::chrono::steady_clock::now();
            writer.flush();
            fold_cpu += process_cpu_seconds() - process;
            fold_wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
        }
        const auto n = static_cast<double>(rounds * batch);
        fmt::print("entries {} in {} folds of {} onto a log of {}\n", rounds * batch, rounds, batch, prefill);
        fmt::print("append (request thread): {:.2f} us CPU per entry\n", append_cpu / n * 1e6);
        fmt::print("fold (writer thread): {:.2f} us CPU per entry, {:.2f} us wall\n", fold_cpu / n * 1e6,
                   fold_wall / n * 1e6);
        fmt::print("total: {:.2f} us CPU per audited read\n", (append_cpu + fold_cpu) / n * 1e6);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "qreg-bench-audit-cost: {}\n", e.what());
        return 1;
    }
}
