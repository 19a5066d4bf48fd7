#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/format.h>

#include "generator.hpp"
#include "knobs.hpp"

namespace gen = qreg::gen;

namespace {

std::string knob_help() {
    const gen::Knobs defaults;
    std::string text =
        "Knobs (probabilities unless said otherwise; change with --set name=value):\n";
    for (const auto& k : gen::knob_table()) {
        text += fmt::format("  {:<20} {:<6} {}\n", k.name, defaults.*(k.member), k.help);
    }
    text +=
        "\nFiles written: ba_export.csv, jobcenter_export.xml, bamf_export.jsonl, truth.csv\n"
        "Same seed and options give byte-identical files.\n";
    return text;
}

gen::Date parse_date(const std::string& s) {
    int y = 0;
    int m = 0;
    int d = 0;
    char tail = 0;
    if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > gen::days_in_month(y, m)) {
        throw CLI::ValidationError("--stand-date", "expected a date YYYY-MM-DD");
    }
    return {y, m, d};
}

std::array<bool, 3> parse_formats(const std::string& list) {
    std::array<bool, 3> formats{};
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        const std::string_view name(list.data() + start, end - start);
        if (name == "ba") {
            formats[0] = true;
        } else if (name == "jobcenter") {
            formats[1] = true;
        } else if (name == "bamf") {
            formats[2] = true;
        } else {
            throw CLI::ValidationError("--formats", "expected a list of ba, jobcenter, bamf");
        }
        start = end + 1;
    }
    return formats;
}

void apply_setting(gen::Knobs& knobs, const std::string& setting) {
    const auto eq = setting.find('=');
    if (eq == std::string::npos) {
        throw CLI::ValidationError("--set", "expected name=value, got '" + setting + "'");
    }
    const std::string name = setting.substr(0, eq);
    for (const auto& k : gen::knob_table()) {
        if (k.name != name) continue;
        std::size_t used = 0;
        double value = 0;
        try {
            value = std::stod(setting.substr(eq + 1), &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != setting.size() - eq - 1 || !std::isfinite(value) || value < 0) {
            throw CLI::ValidationError("--set", "knob " + name + " needs a number >= 0");
        }
        knobs.*(k.member) = value;
        return;
    }
    throw CLI::ValidationError("--set", "unknown knob '" + name + "' (see --help)");
}

void check_knobs(const gen::Knobs& k) {
    if (k.agencies_1 + k.agencies_2 > 1.0) {
        throw CLI::ValidationError("--set", "agencies_1 + agencies_2 must not exceed 1");
    }
    if (k.household_single + k.household_couple + k.household_siblings > 1.0) {
        throw CLI::ValidationError("--set", "household shares must not exceed 1 together");
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "qreg-generate: realistic BA, Jobcenter and BAMF exports of a synthetic refugee "
        "population, with truth.csv saying which records are the same person."};
    gen::Options options;
    std::string out;
    std::string formats = "ba,jobcenter,bamf";
    std::string encoding = "cp1252";
    std::string stand_date = "2026-11-20";
    std::vector<std::string> settings;
    bool quiet = false;

    app.add_option("--out", out, "output directory (created if missing)")->required();
    auto* people = app.add_option("--people", options.people, "number of people to generate");
    auto* exact_ba = app.add_option("--exact-ba", options.exact_ba,
                                    "instead of --people: generate people until exactly N "
                                    "BA rows are written (e.g. with --formats ba)");
    auto* exact_records = app.add_option("--exact-records", options.exact_records,
                                         "instead of --people: stop at exactly N rows over the "
                                         "selected formats");
    people->excludes(exact_ba)->excludes(exact_records);
    exact_ba->excludes(exact_records);
    app.add_option("--seed", options.seed, "seed of the random generator")->capture_default_str();
    app.add_option("--formats", formats, "comma-separated: ba,jobcenter,bamf")
        ->capture_default_str();
    app.add_option("--ba-encoding", encoding, "BA file encoding: cp1252, or utf8 (with BOM)")
        ->check(CLI::IsMember({"cp1252", "utf8"}))
        ->capture_default_str();
    app.add_option("--stand-date", stand_date,
                   "export date YYYY-MM-DD: stands lie before it, ages count to it")
        ->capture_default_str();
    app.add_option("--shuffle-window", options.shuffle_window,
                   "rows held per file to shuffle output order (0 or 1: generation order)")
        ->capture_default_str();
    app.add_option("--set", settings, "override a knob, name=value (repeatable; see below)");
    app.add_flag("--quiet", quiet, "print no summary on stdout");
    app.footer(knob_help());

    try {
        app.parse(argc, argv);
        if (people->count() == 0 && exact_ba->count() == 0 && exact_records->count() == 0) {
            throw CLI::ValidationError("--people", "one of --people, --exact-ba, --exact-records "
                                                   "is required");
        }
        options.out_dir = out;
        options.formats = parse_formats(formats);
        options.ba_cp1252 = encoding == "cp1252";
        options.stand_date = parse_date(stand_date);
        for (const auto& s : settings) apply_setting(options.knobs, s);
        check_knobs(options.knobs);
        if (options.exact_ba != 0 && !options.formats[0]) {
            throw CLI::ValidationError("--exact-ba", "needs ba among --formats");
        }
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    options.progress = isatty(fileno(stderr)) != 0;

    try {
        const auto start = std::chrono::steady_clock::now();
        const gen::Summary s = gen::generate(options);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        if (!quiet) {
            fmt::print("{} people in {} households, seed {}, {:.2f} s -> {}\n", s.people,
                       s.households, options.seed, took.count(), options.out_dir.string());
            static constexpr std::string_view names[] = {"ba", "jobcenter", "bamf"};
            for (std::size_t a = 0; a < 3; ++a) {
                if (!options.formats[a]) continue;
                fmt::print("  {:<10} {:>10} rows {:>10} records {:>8} retracted\n", names[a],
                           s.rows[a], s.records[a], s.retracted[a]);
            }
        }
    } catch (const std::exception& e) {
        fmt::print(stderr, "qreg-generate: {}\n", e.what());
        return 1;
    }
    return 0;
}
