// qreg-bench-blocking: what each blocking rule costs and finds on a registry. For every rule of
// the matching settings alone: candidate pairs, where they come from (block sizes), the time to
// make them, and, given the generator's truth file, how many true pairs the rule finds and how
// many no other rule finds. Then the same for all rules together. For choosing blocking rules
// and block caps (issue 4): `qreg dedup` compares every candidate pair.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "match_config.hpp"
#include "qreg/dedup/engine.hpp"
#include "storage/store.hpp"

namespace reg = qreg::registry;
namespace dd = qreg::dedup;

namespace {

struct Loaded {
    std::vector<std::int64_t> pks;
    std::vector<dd::RecordFeatures> features;
};

Loaded load(const reg::Store& store, unsigned threads) {
    Loaded out;
    std::int64_t after = 0;
    std::vector<reg::MatchInput> batch;
    for (;;) {
        store.match_inputs(after, 50000, batch);
        if (batch.empty()) break;
        after = batch.back().record_pk;
        const std::size_t base = out.features.size(), n = batch.size();
        out.features.resize(base + n);
        std::vector<std::thread> workers;
        for (unsigned t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                for (std::size_t i = t; i < n; i += threads) {
                    out.features[base + i] = dd::extract_features(batch[i].record);
                }
            });
        }
        for (auto& w : workers) w.join();
        for (const auto& in : batch) out.pks.push_back(in.record_pk);
    }
    return out;
}

// True pairs (indices into the loaded records, a < b) from the generator's truth file.
std::vector<std::uint64_t> true_pairs(const reg::Store& store, const Loaded& loaded, const std::string& truth) {
    std::unordered_map<std::string, std::string> person_of;  // "source\x1frecord_id" -> person
    std::ifstream in(truth);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::stringstream fields(line);
        std::string source, id, person;
        std::getline(fields, source, ',');
        std::getline(fields, id, ',');
        std::getline(fields, person, ',');
        person_of[source + '\x1f' + id] = person;
    }
    std::unordered_map<std::string, std::vector<std::uint32_t>> members;
    for (std::uint32_t i = 0; i < loaded.pks.size(); ++i) {
        const auto key = store.record_key(loaded.pks[i]);
        if (!key) continue;
        if (const auto p = person_of.find(key->source + '\x1f' + key->record_id); p != person_of.end()) {
            members[p->second].push_back(i);
        }
    }
    std::vector<std::uint64_t> out;
    for (auto& [person, m] : members) {
        std::sort(m.begin(), m.end());
        for (std::size_t i = 0; i < m.size(); ++i) {
            for (std::size_t j = i + 1; j < m.size(); ++j) out.push_back((std::uint64_t{m[i]} << 32) | m[j]);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Pairs by the size of the block they came from (before a large block is split).
struct SizeBuckets {
    static constexpr std::size_t limits[] = {10, 50, 100, 300};
    std::size_t pairs[5] = {};
};

SizeBuckets size_buckets(const std::vector<std::vector<dd::BlockKey>>& keys, std::size_t max_block) {
    std::vector<std::uint64_t> all;
    for (const auto& k : keys) {
        for (const auto& b : k) {
            if (b.key != 0) all.push_back(b.key);
        }
    }
    std::sort(all.begin(), all.end());
    SizeBuckets out;
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        while (j < all.size() && all[j] == all[i]) ++j;
        const std::size_t n = j - i;
        std::size_t bucket = 0;
        while (bucket < 4 && n > SizeBuckets::limits[bucket]) ++bucket;
        if (n <= max_block) out.pairs[bucket] += n * (n - 1) / 2;
        else ++out.pairs[4];  // blocks split by the finer key: counted, not their pairs
        i = j;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Candidate pairs and true pairs found per blocking rule (for tuning blocking)."};
    std::string db, truth;
    std::string config = QREG_SOURCE_CONFIG_DIR;
    app.add_option("--db", db, "registry database")->required()->check(CLI::ExistingFile);
    app.add_option("--truth", truth, "the generator's truth.csv (source,record_id,person_id)")
        ->check(CLI::ExistingFile);
    app.add_option("--config", config, "configuration directory")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        const reg::Store store(db);
        const auto settings = reg::load_match_settings(config);
        const auto started = std::chrono::steady_clock::now();
        const auto loaded = load(store, settings.threads);
        const auto seconds = [](auto since) {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
        };
        fmt::print("{} records read and their features made in {:.1f} s\n", loaded.features.size(),
                   seconds(started));
        const auto truth_pairs = truth.empty() ? std::vector<std::uint64_t>{} : true_pairs(store, loaded, truth);
        if (!truth.empty()) fmt::print("{} true pairs\n", truth_pairs.size());
        std::vector<std::uint32_t> found_by(truth_pairs.size(), 0);  // bit per rule

        fmt::print("{:<22} {:>12} {:>8} {:>10} {:>10} {:>10} {:>10} {:>7} {:>10} {:>8}\n", "rule", "pairs",
                   "secs", "<=10", "<=50", "<=100", "<=300", "split", "true", "only");
        std::vector<std::size_t> true_found(settings.blocking.size());
        for (std::size_t r = 0; r < settings.blocking.size(); ++r) {
            auto one = settings;
            one.blocking = {settings.blocking[r]};
            const auto t = std::chrono::steady_clock::now();
            const auto keys = dd::all_block_keys(loaded.features, one);
            const auto c = dd::find_candidates(keys, one);
            const double secs = seconds(t);
            const auto sizes = size_buckets(keys, settings.max_block);
            std::size_t n_true = 0;
            for (std::size_t i = 0; i < truth_pairs.size(); ++i) {
                if (std::binary_search(c.pairs.begin(), c.pairs.end(), truth_pairs[i])) {
                    ++n_true;
                    found_by[i] |= 1u << r;
                }
            }
            true_found[r] = n_true;
            fmt::print("{:<22} {:>12} {:>8.1f} {:>10} {:>10} {:>10} {:>10} {:>7} {:>10}", 
                       dd::block_rule_name(settings.blocking[r]), c.pairs.size(), secs, sizes.pairs[0],
                       sizes.pairs[1], sizes.pairs[2], sizes.pairs[3], sizes.pairs[4], n_true);
            fmt::print("\n");
            std::fflush(stdout);
        }
        std::vector<std::size_t> only(settings.blocking.size(), 0);
        std::size_t any = 0;
        for (const auto bits : found_by) {
            if (bits != 0) ++any;
            if (bits != 0 && (bits & (bits - 1)) == 0) ++only[static_cast<std::size_t>(__builtin_ctz(bits))];
        }
        const auto t = std::chrono::steady_clock::now();
        const auto all = dd::find_candidates(loaded.features, settings);
        fmt::print("{:<22} {:>12} {:>8.1f}   (largest block {}, {} split, {} windowed)\n", "all rules",
                   all.pairs.size(), seconds(t), all.stats.largest_block, all.stats.refined_blocks,
                   all.stats.windowed_blocks);
        if (!truth.empty()) {
            fmt::print("true pairs found by some rule: {} of {} ({:.4f})\n", any, truth_pairs.size(),
                       truth_pairs.empty() ? 1.0 : static_cast<double>(any) / static_cast<double>(truth_pairs.size()));
            for (std::size_t r = 0; r < settings.blocking.size(); ++r) {
                fmt::print("  {:<22} finds {:>9}, alone {:>7}\n", dd::block_rule_name(settings.blocking[r]),
                           true_found[r], only[r]);
            }
        }
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "qreg-bench-blocking: {}\n", e.what());
        return 1;
    }
}
