#include "generator.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>

#include <fmt/core.h>
#include <fmt/format.h>

#include "catalog.hpp"
#include "population.hpp"
#include "records.hpp"
#include "rng.hpp"
#include "writers.hpp"

namespace qreg::gen {
namespace {

constexpr std::uint64_t kdnr_space = 1000ULL * 26 * 1'000'000;  // \d{3}[A-Z]\d{6}
constexpr std::uint64_t bg_numbers_per_office = 10'000'000;     // 7 digits
constexpr std::uint64_t bamf_space = 10'000'000;                // 7 digits

// Issues identifiers: unique (within each id space) and random-looking, from counters.
class IdIssuer {
public:
    IdIssuer(std::uint64_t seed, const std::vector<std::string_view>& offices)
        : offices_(offices),
          kdnr_(kdnr_space, mix64(seed ^ 0x4B444E52ULL)),
          bg_(offices.size() * bg_numbers_per_office, mix64(seed ^ 0x4247ULL)),
          bamf_(bamf_space, mix64(seed ^ 0x42414D46ULL)) {}

    std::string kdnr() {
        const std::uint64_t v = kdnr_(next_kdnr_++);
        const std::uint64_t rest = v % 26'000'000;
        return fmt::format("{:03}{}{:06}", v / 26'000'000,
                           static_cast<char>('A' + rest / 1'000'000), rest % 1'000'000);
    }

    std::string bg() {
        const std::uint64_t v = bg_(next_bg_++);
        return fmt::format("{}BG{:07}", offices_[v / bg_numbers_per_office],
                           v % bg_numbers_per_office);
    }

    std::string bamf(std::string_view country_code) {
        return fmt::format("{:07}-{}", bamf_(next_bamf_++), country_code);
    }

private:
    const std::vector<std::string_view>& offices_;
    Permutation kdnr_;
    Permutation bg_;
    Permutation bamf_;
    std::uint64_t next_kdnr_ = 0;
    std::uint64_t next_bg_ = 0;
    std::uint64_t next_bamf_ = 0;
};

// German nationality key for BAMF file numbers (997 stateless, 998 unclear).
std::string_view bamf_country_code(const Person& p) {
    if (p.nationality[0] == "XXA") return "997";
    return p.origin->bamf_code;
}

struct HouseholdState {
    std::string bg;
    int next_member = 1;
};

// Decides which agencies know the person, how many records each has, and their ids.
void plan(Rng& rng, const Knobs& k, const Person& p, const Household& h, IdIssuer& issuer,
          HouseholdState& household, PersonIds& ids) {
    ids.count = {0, 0, 0};
    ids.phantom_kdnr.clear();
    ids.other_azr = 0;
    for (const Person& other : h.members) {
        if (other.number != p.number) {
            ids.other_azr = other.azr;
            break;
        }
    }

    const double u = rng.unit();
    const int wanted = u < k.agencies_1 ? 1 : u < k.agencies_1 + k.agencies_2 ? 2 : 3;
    // The labour agency serves people of working age only.
    std::array<double, 3> weight = {
        p.age >= 15 && p.age <= 67 ? k.weight_ba : 0.0, k.weight_jobcenter,
        k.weight_bamf * (p.origin->origin == Origin::ukr ? k.ukr_bamf_factor : 1.0)};
    for (int n = 0; n < wanted; ++n) {
        const double total = weight[0] + weight[1] + weight[2];
        if (total <= 0) break;
        double x = rng.unit() * total;
        std::size_t chosen = 0;
        while (chosen < 2 && (weight[chosen] <= 0 || x >= weight[chosen])) {
            x -= weight[chosen];
            ++chosen;
        }
        if (weight[chosen] <= 0) {  // rounding at the top end
            chosen = static_cast<std::size_t>(
                std::find_if(weight.rbegin(), weight.rend(), [](double w) { return w > 0; }) -
                weight.rbegin());
            chosen = 2 - chosen;
        }
        ids.count[chosen] = rng.chance(k.duplicate) ? 2 : 1;
        weight[chosen] = 0;
    }

    const auto ba = index_of(Agency::ba);
    const auto jc = index_of(Agency::jobcenter);
    const auto bamf = index_of(Agency::bamf);
    for (int i = 0; i < ids.count[ba]; ++i) ids.ids[ba][static_cast<std::size_t>(i)] = issuer.kdnr();
    for (int i = 0; i < ids.count[jc]; ++i) {
        std::string& bg = ids.bg[static_cast<std::size_t>(i)];
        int member = 1;
        if (i == 0 || rng.chance(0.5)) {
            // the household's Bedarfsgemeinschaft
            if (household.bg.empty()) household.bg = issuer.bg();
            bg = household.bg;
            member = household.next_member++;
        } else {
            bg = issuer.bg();  // registered again elsewhere
        }
        ids.ids[jc][static_cast<std::size_t>(i)] = fmt::format("{}-{:02}", bg, member);
    }
    for (int i = 0; i < ids.count[bamf]; ++i) {
        ids.ids[bamf][static_cast<std::size_t>(i)] = issuer.bamf(bamf_country_code(p));
    }
    if (ids.count[ba] == 0 && ids.count[jc] > 0 && rng.chance(k.kdnr_phantom)) {
        ids.phantom_kdnr = issuer.kdnr();
    }
}

}  // namespace

Summary generate(const Options& opt) {
    const Catalog catalog;
    Population population(catalog, opt.knobs, opt.seed, opt.stand_date);
    const RecordMaker maker(catalog, opt.knobs, opt.stand_date);
    IdIssuer issuer(opt.seed, catalog.offices());

    std::filesystem::create_directories(opt.out_dir);
    static constexpr std::array<std::string_view, 3> file_names = {
        "ba_export.csv", "jobcenter_export.xml", "bamf_export.jsonl"};
    std::array<std::optional<OutputFile>, 3> files;
    std::string row;
    for (std::size_t a = 0; a < 3; ++a) {
        if (!opt.formats[a]) continue;
        files[a].emplace(opt.out_dir / file_names[a], opt.shuffle_window,
                         mix64(opt.seed ^ (0x5348554646ULL + a)));
    }
    OutputFile truth(opt.out_dir / "truth.csv", 0, 0);
    truth.write_direct("source,record_id,person_id,retracted\n");
    if (files[0]) {
        append_ba_header(row, opt.ba_cp1252);
        files[0]->write_direct(row);
        row.clear();
    }
    if (files[1]) {
        append_jobcenter_header(row, catalog.offices().front(),
                                to_unix(opt.stand_date.year, opt.stand_date.month,
                                        opt.stand_date.day, 7, 0, 0));
        files[1]->write_direct(row);
        row.clear();
    }

    Summary summary;
    const bool by_people = opt.exact_ba == 0 && opt.exact_records == 0;
    const auto total_rows = [&] { return summary.rows[0] + summary.rows[1] + summary.rows[2]; };
    // How many more rows agency a may write.
    const auto budget = [&](std::size_t a) -> std::uint64_t {
        std::uint64_t left = UINT64_MAX;
        if (opt.exact_ba != 0 && a == 0) left = opt.exact_ba - summary.rows[0];
        if (opt.exact_records != 0) left = std::min(left, opt.exact_records - total_rows());
        return left;
    };
    const auto done = [&] {
        if (by_people) return summary.people >= opt.people;
        if (opt.exact_ba != 0 && summary.rows[0] < opt.exact_ba) return false;
        if (opt.exact_records != 0 && total_rows() < opt.exact_records) return false;
        return true;
    };
    const auto emit = [&](std::size_t a, const Record& r) {
        switch (a) {
            case 0: append_ba_row(row, r, opt.ba_cp1252); break;
            case 1: append_jobcenter_person(row, r); break;
            default: append_bamf_line(row, r); break;
        }
        files[a]->push(row);
        ++summary.rows[a];
    };

    Household household;
    HouseholdState state;
    PersonIds ids;
    Record record;
    Record older;
    std::string truth_row;
    const std::uint64_t base_seed = mix64(opt.seed);
    while (!done()) {
        const std::uint64_t left = by_people ? opt.people - summary.people : 8;
        // Each household draws from its own stream: a household's content depends only on
        // the seed and its position, not on how earlier ones consumed randomness.
        Rng rng(base_seed ^ mix64(summary.households + 1));
        population.next(rng, household, static_cast<std::size_t>(std::min<std::uint64_t>(left, 8)));
        ++summary.households;
        state = {};
        for (const Person& p : household.members) {
            plan(rng, opt.knobs, p, household, issuer, state, ids);
            for (std::size_t a = 0; a < 3; ++a) {
                const auto agency = static_cast<Agency>(a);
                for (int which = 0; which < ids.count[a]; ++which) {
                    maker.make(rng, p, ids, agency, which, record);
                    const bool has_older = rng.chance(opt.knobs.old_version);
                    if (has_older) maker.older_version(rng, p, record, older);
                    if (!files[a]) continue;
                    const std::uint64_t room = budget(a);
                    if (room == 0) continue;
                    if (has_older && room >= 2) emit(a, older);
                    emit(a, record);
                    ++summary.records[a];
                    summary.retracted[a] += record.retracted ? 1 : 0;
                    truth_row.clear();
                    fmt::format_to(std::back_inserter(truth_row), "{},{},P{:07},{}\n",
                                   agency_names[a], record.id, p.number,
                                   record.retracted ? 1 : 0);
                    truth.write_direct(truth_row);
                }
            }
            ++summary.people;
            if (!by_people && done()) break;
        }
        if (opt.progress && summary.households % 8192 == 0) {
            fmt::print(stderr, "\r{:>12} people {:>12} rows", summary.people, total_rows());
            std::fflush(stderr);
        }
    }
    if (opt.progress) {
        fmt::print(stderr, "\r{:>12} people {:>12} rows\n", summary.people, total_rows());
    }

    for (std::size_t a = 0; a < 3; ++a) {
        if (!files[a]) continue;
        row.clear();
        if (a == 1) append_jobcenter_footer(row);
        files[a]->finish(row);
    }
    truth.finish();
    return summary;
}

}  // namespace qreg::gen
