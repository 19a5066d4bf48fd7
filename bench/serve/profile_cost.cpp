// qreg-bench-profile-cost: CPU per consolidated profile as GET /v1/persons/{id} builds it (read
// the person's records from SQLite, apply survivorship, write the JSON), without HTTP, TLS,
// audit or wrk in the measurement. Reads person ids from a file (one per line, as
// bench/serve_bench.sh writes them); prints microseconds of CPU per profile and the mean size.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <ctime>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "services/profile.hpp"
#include "services/sharing_service.hpp"
#include "storage/store.hpp"
#include "../cpu_time.hpp"

namespace reg = qreg::registry;
using qreg::bench::thread_cpu_seconds;

int main(int argc, char** argv) {
    CLI::App app{"CPU per consolidated profile (records read, survivorship, JSON), no HTTP."};
    std::string db;
    std::string ids_file;
    std::string config = QREG_SOURCE_CONFIG_DIR;
    int rounds = 5;
    app.add_option("--db", db, "registry database")->required()->check(CLI::ExistingFile);
    app.add_option("--ids", ids_file, "person ids, one per line")->required()->check(CLI::ExistingFile);
    app.add_option("--config", config, "configuration directory")->capture_default_str();
    app.add_option("--rounds", rounds, "passes over the ids; the best is printed")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        std::vector<std::int64_t> ids;
        std::ifstream in(ids_file);
        for (std::int64_t id = 0; in >> id;) ids.push_back(id);
        if (ids.empty()) throw std::runtime_error(ids_file + ": no person ids");
        const reg::Store store(db);
        const auto rules = reg::load_survivorship(config);
        double best = 1e9;
        std::size_t bytes = 0;
        for (int round = 0; round < rounds; ++round) {
            bytes = 0;
            const auto cpu = thread_cpu_seconds();
            for (const auto id : ids) {
                bytes += reg::profile_of_records(id, store.person_records(id), rules).size();
            }
            const auto per = (thread_cpu_seconds() - cpu) / static_cast<double>(ids.size()) * 1e6;
            fmt::print(stderr, "round {}: {:.2f} us\n", round + 1, per);
            best = std::min(best, per);
        }
        fmt::print("{} profiles, mean {} bytes: best {:.2f} us CPU per profile\n", ids.size(),
                   bytes / ids.size(), best);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "qreg-bench-profile-cost: {}\n", e.what());
        return 1;
    }
}
