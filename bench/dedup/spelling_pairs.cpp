// qreg-bench-spelling-pairs: how many pairs of spellings of one name qreg's name comparison
// fails to match. Every name of the generator's catalogue (bench/generator) with its listed and
// rule-made spellings; each pair of spellings compared as a name (family names as family names,
// given names as given names) by dedup::compare_names, with no origin given. A pair counts as
// matched when every token matches (exactly, by phonetic key or fuzzily).
// Usage: qreg-bench-spelling-pairs [--list N]   (N: how many of the commonest missed pairs to print)
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <string>
#include <vector>

#include "catalog.hpp"
#include "qreg/dedup/features.hpp"

namespace {

struct Missed {
    double weight;  // the name's share of its list, spread over its spelling pairs
    std::string text;
};

bool matched(const std::string& a, const std::string& b, bool family) {
    qreg::Record x, y;
    (family ? x.family_name : x.given_names) = a;
    (family ? y.family_name : y.given_names) = b;
    namespace d = qreg::dedup;
    const auto level = d::compare_names(d::extract_features(x), d::extract_features(y)).level;
    return level <= d::NameLevel::all_matched_fuzzy;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"qreg-bench-spelling-pairs: spellings of one name that qreg's name comparison keeps apart"};
    std::size_t list = 40;
    app.add_option("--list", list, "how many of the commonest missed pairs to print");
    CLI11_PARSE(app, argc, argv);

    const qreg::gen::Catalog catalog;
    std::size_t pairs = 0, missed = 0;
    double weighted = 0.0;
    std::vector<Missed> misses;
    fmt::print("origin list        pairs missed weighted\n");
    for (std::size_t o = 0; o < qreg::gen::origin_count; ++o) {
        const auto& info = catalog.origin(static_cast<qreg::gen::Origin>(o));
        const struct {
            const char* name;
            const qreg::gen::NameList* list;
            bool family;
        } lists[] = {{"male", &info.male, false},
                     {"female", &info.female, false},
                     {"family", &info.family, true},
                     {"family_f", &info.family_female, true}};
        for (const auto& l : lists) {
            std::size_t list_pairs = 0, list_missed = 0;
            double list_weighted = 0.0;
            for (std::size_t i = 0; i < l.list->size(); ++i) {
                const auto& spellings = l.list->at(i).spellings;
                const double share = l.list->cumulative_at(i) - (i > 0 ? l.list->cumulative_at(i - 1) : 0.0);
                const std::size_t n = spellings.size() * (spellings.size() - 1) / 2;
                for (std::size_t a = 0; a < spellings.size(); ++a) {
                    for (std::size_t b = a + 1; b < spellings.size(); ++b) {
                        ++list_pairs;
                        if (matched(spellings[a], spellings[b], l.family)) continue;
                        ++list_missed;
                        const double w = share / static_cast<double>(n);
                        list_weighted += w;
                        misses.push_back({w, fmt::format("{} {} {} / {}", info.alpha3, l.name, spellings[a],
                                                         spellings[b])});
                    }
                }
            }
            if (list_pairs == 0) continue;
            fmt::print("{} {:<10} {:>6} {:>6} {:>8.3f}\n", info.alpha3, l.name, list_pairs, list_missed,
                       list_weighted);
            pairs += list_pairs;
            missed += list_missed;
            weighted += list_weighted;
        }
    }
    // weighted: per list, the share of its name draws whose two spellings would be kept apart if
    // both were picked at random among the name's spellings, summed over the lists.
    fmt::print("all spelling pairs {}, missed {}, weighted by name frequency {:.3f}\n", pairs, missed,
               weighted);
    std::sort(misses.begin(), misses.end(),
              [](const Missed& x, const Missed& y) { return x.weight > y.weight; });
    if (list > 0) fmt::print("commonest missed pairs:\n");
    for (std::size_t i = 0; i < std::min(list, misses.size()); ++i) {
        fmt::print("  {:.4f} {}\n", misses[i].weight, misses[i].text);
    }
}
