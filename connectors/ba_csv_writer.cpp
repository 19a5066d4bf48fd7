// ba-csv-v1 written out: the shape in which the Bundesagentur receives shared profiles.
#include "qreg/connectors/ba_csv.hpp"
#include "qreg/connectors/common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace qreg::connectors {

namespace {

using CodePair = std::pair<std::string_view, std::string_view>;  // canonical, BA

constexpr std::array<CodePair, 4> training_codes = {{{"completed", "abgeschlossen"},
                                                     {"aborted", "abgebrochen"},
                                                     {"no_certificate", "ohne_nachweis"},
                                                     {"in_progress", "laufend"}}};
constexpr std::array<CodePair, 4> recognition_codes = {
    {{"applied", "beantragt"},
     {"equivalent", "gleichwertig"},
     {"partially_equivalent", "teilweise_gleichwertig"},
     {"not_equivalent", "nicht_gleichwertig"}}};
constexpr std::array<std::string_view, 6> school_codes = {"KA", "HS", "MR", "FH", "AH", "AU"};
constexpr std::array<std::string_view, 4> study_codes = {"B", "M", "P", "S"};

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

template <std::size_t N>
bool is_one_of(const std::array<std::string_view, N>& codes, std::string_view code) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// The agency's original code when it is already BA's, else the canonical code mapped to BA's.
template <std::size_t N>
std::string ba_code(const std::array<CodePair, N>& codes, std::string_view original,
                    std::string_view canonical) {
    for (const auto& [c, ba] : codes) {
        if (ba == original) return std::string(ba);
    }
    for (const auto& [c, ba] : codes) {
        if (c == canonical) return std::string(ba);
    }
    return {};
}

std::string sex_code(Sex sex) {
    switch (sex) {
        case Sex::male: return "M";
        case Sex::female: return "W";
        case Sex::diverse: return "D";
        case Sex::unknown: break;
    }
    return {};  // not X: an empty column says "not shared" as well as "not known"
}

std::string birth_date(const BirthDate& b) {
    if (b.is_placeholder) return fmt::format("01.01.{:04}", b.year);
    switch (b.precision) {
        case DatePrecision::day: return fmt::format("{:02}.{:02}.{:04}", b.day, b.month, b.year);
        case DatePrecision::month: return fmt::format("00.{:02}.{:04}", b.month, b.year);
        case DatePrecision::year: return fmt::format("00.00.{:04}", b.year);
        case DatePrecision::none: break;
    }
    return {};
}

std::string school_code(const School& s) {
    if (const auto original = upper(s.original_code); is_one_of(school_codes, original)) {
        return original;
    }
    if (!s.isced_level) return "AU";  // foreign, not yet assessed
    if (*s.isced_level <= 1) return "KA";
    return *s.isced_level == 2 ? "HS" : "AH";
}

std::string study_code(const HigherEducation& h) {
    if (const auto original = upper(h.original_code); is_one_of(study_codes, original)) {
        return original;
    }
    if (h.completed == false) return "S";  // studied without a degree
    if (!h.isced_level) return {};
    switch (*h.isced_level) {
        case 6: return "B";
        case 7: return "M";
        case 8: return "P";
        default: return {};
    }
}

std::string decimal(const std::optional<double>& v) {  // `4,5`
    if (!v) return {};
    auto text = fmt::format("{}", *v);
    std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

std::string whole(const std::optional<double>& v) {
    return v ? fmt::format("{}", std::llround(*v)) : std::string();
}

std::string level_code(const Language& l) {
    if (l.level == "native") return "M";
    return l.level.empty() ? l.original_level : l.level;
}

std::string field(std::string_view value) {
    if (value.find_first_of(";\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::array<std::string, ba_csv_columns.size()> row_of(const Record& r) {
    const auto& q = r.qualifications;
    std::array<std::string, ba_csv_columns.size()> row;
    auto* f = row.data();
    *f++ = r.ids.ba_customer_number;
    *f++ = r.family_name;
    *f++ = r.given_names;
    *f++ = r.birth_name;
    *f++ = birth_date(r.birth_date);
    *f++ = r.birthplace;
    *f++ = sex_code(r.sex);
    *f++ = r.nationalities.empty() ? std::string() : r.nationalities.front();
    *f++ = r.ids.azr_number;
    *f++ = r.ids.bamf_file_number;
    *f++ = r.postcode;
    *f++ = r.town;
    *f++ = q.school ? school_code(*q.school) : std::string();
    *f++ = q.school ? whole(q.school->years) : std::string();
    const auto* training = q.trainings.empty() ? nullptr : &q.trainings.front();
    *f++ = training ? training->kldb : std::string();
    *f++ = training ? training->title : std::string();
    *f++ = training ? ba_code(training_codes, training->original_status, training->status)
                    : std::string();
    *f++ = q.higher_education ? study_code(*q.higher_education) : std::string();
    *f++ = q.higher_education ? q.higher_education->field : std::string();
    const auto* work = q.experience.empty() ? nullptr : &q.experience.front();
    *f++ = work ? work->kldb : std::string();
    *f++ = work ? decimal(work->years) : std::string();
    *f++ = q.target_occupation;
    std::string german, others;
    for (const auto& l : q.languages) {
        if (l.code == "de" && german.empty()) {
            german = level_code(l);
        } else {
            others += fmt::format("{}{}:{}", others.empty() ? "" : "|", l.code, level_code(l));
        }
    }
    *f++ = german;
    *f++ = others;
    *f++ = q.recognition
               ? ba_code(recognition_codes, q.recognition->original_status, q.recognition->status)
               : std::string();
    *f++ = format_german_local_time(r.stand).value_or("");
    *f++ = r.is_retracted ? "J" : "";
    return row;
}

void append_row(std::string& out, std::span<const std::string> fields) {
    bool first = true;
    for (const auto& value : fields) {
        if (!std::exchange(first, false)) out += ';';
        out += field(value);
    }
    out += "\r\n";
}

}  // namespace

std::string write_ba_csv(std::span<const Record> records) {
    std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: the format's marker for UTF-8 over cp1252
    const std::vector<std::string> header(ba_csv_columns.begin(), ba_csv_columns.end());
    append_row(out, header);
    for (const auto& r : records) append_row(out, row_of(r));
    return out;
}

}  // namespace qreg::connectors
