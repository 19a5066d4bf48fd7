#include "qreg/connectors/ba_csv.hpp"

#include "csv_reader.hpp"
#include "field_rules.hpp"

#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace qreg::connectors {

namespace {

// The ba-csv-v1 columns, in the order of the format description (files may order them freely).
enum Column : std::size_t {
    kdnr,
    nachname,
    vorname,
    geburtsname,
    gebdat,
    gebort,
    geschlecht,
    staatsang,
    azr_nr,
    bamf_az,
    plz,
    wohnort,
    schulabschluss,
    schuljahre,
    ausbildung_kldb,
    ausbildung_txt,
    ausbildung_status,
    studium,
    studienfach,
    erfahrung_kldb,
    erfahrung_jahre,
    zielberuf_kldb,
    deutsch,
    sprachen,
    anerkennung,
    stand,
    loeschung,
    column_count
};

constexpr const auto& column_names = ba_csv_columns;  // in Column order
static_assert(column_names.size() == column_count);

constexpr std::array<Column, 4> required_columns = {kdnr, nachname, vorname, gebdat};

constexpr std::size_t absent = static_cast<std::size_t>(-1);

// Codes arrive in random case; try the code as given, then upper and lower case.
template <class Map>
auto map_any_case(Map map, std::string_view code) -> decltype(map(code)) {
    if (auto mapped = map(code)) return mapped;
    if (auto mapped = map(rules::upper_ascii(code))) return mapped;
    return map(rules::lower_ascii(code));
}

class BaCsvParser final : public RecordParser {
public:
    explicit BaCsvParser(std::string file_name)
        : file_(std::move(file_name)), reader_(csv::Dialect{';', '"', false}, file_) {
        index_.fill(absent);
    }

    ParseBatch feed(std::string_view chunk) override {
        return reader_.feed(chunk, [&](const csv::Row& row, ParseBatch& out) { on_row(row, out); });
    }

    ParseBatch finish() override {
        const auto require_header = [&] {
            if (!has_header_) fail(1, "file is empty, the header row is missing");
        };
        return reader_.finish([&](const csv::Row& row, ParseBatch& out) { on_row(row, out); },
                              require_header);
    }

private:
    [[noreturn]] void fail(std::size_t line, std::string_view what) const {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} line {}: {}; is this a ba-csv-v1 export?", file_, line, what));
    }

    void on_row(const csv::Row& row, ParseBatch& out) {
        if (!has_header_) {
            read_header(row, out);
        } else {
            read_record(row, out);
        }
    }

    void read_header(const csv::Row& row, ParseBatch& out) {
        if (row.is_unterminated) fail(row.line, "header row has an unterminated quote");
        std::string unknown;
        for (std::size_t i = 0; i < row.fields.size(); ++i) {
            // Column names are ASCII; a byte beyond that cannot name a known column.
            const auto name = rules::trim(row.fields[i]);
            std::size_t column = 0;
            while (column < column_count && column_names[column] != name) ++column;
            if (column < column_count && index_[column] == absent) {
                index_[column] = i;
            } else if (column < column_count) {
                out.warnings.push_back(Warning{
                    row.line, fmt::format("header: column {} appears twice; the first is used",
                                          column_names[column])});
            } else {
                if (!unknown.empty()) unknown += ", ";
                unknown += csv::is_ascii(name) && name.size() <= 40 ? std::string(name)
                                                                    : fmt::format("#{}", i + 1);
            }
        }
        for (const Column column : required_columns) {
            if (index_[column] == absent) {
                fail(row.line, fmt::format("header lacks column {}", column_names[column]));
            }
        }
        if (!unknown.empty()) {
            out.warnings.push_back(
                Warning{row.line, fmt::format("header: unknown columns ignored: {}", unknown)});
        }
        field_count_ = row.fields.size();
        has_header_ = true;
    }

    [[nodiscard]] std::string_view field(Column column) const {
        const std::size_t i = index_[column];
        return i == absent ? std::string_view() : rules::trim(fields_[i]);
    }

    void problem(ParseBatch& out, const csv::Row& row, std::string reason, std::string id) {
        out.problems.push_back(
            RowProblem{file_, row.line, std::move(reason), std::string(row.raw), std::move(id)});
    }

    // A record id read from a row that could not be split reliably: used only when it has the
    // customer-number shape, so a shifted field never poses as an id.
    [[nodiscard]] std::string guess_id(std::span<const std::string_view> fields) const {
        const std::size_t i = index_[kdnr];
        if (i >= fields.size()) return {};
        const auto id = rules::trim(fields[i]);
        return rules::is_ba_customer_number(id) ? std::string(id) : std::string();
    }

    void read_record(const csv::Row& row, ParseBatch& out) {
        if (row.is_unterminated) {
            problem(out, row, "unterminated quote at end of file", guess_id(row.fields));
            return;
        }
        if (row.fields.size() != field_count_) {
            problem(out, row,
                    fmt::format("wrong field count: {} expected, {} found", field_count_,
                                row.fields.size()),
                    guess_id(row.fields));
            return;
        }
        if (const auto bad = decoder_.decode(
                row.fields, reader_.has_bom() ? csv::Encoding::utf8 : csv::Encoding::windows1252)) {
            std::string id;
            if (*bad != index_[kdnr]) id = guess_id(row.fields);
            problem(out, row,
                    fmt::format("invalid encoding: column {} is not valid {}", column_label(*bad),
                                reader_.has_bom() ? "UTF-8" : "Windows-1252"),
                    std::move(id));
            return;
        }
        fields_ = decoder_.fields();

        // Built in place: a SourceRecord is over a kilobyte of strings, moving it costs.
        SourceRecord& source = out.records.emplace_back();
        source.line = row.line;
        const auto reject = [&](std::string reason, std::string id) {
            out.records.pop_back();
            problem(out, row, std::move(reason), std::move(id));
        };
        Record& record = source.record;
        record.source = "ba";
        record.record_id = field(kdnr);
        if (record.record_id.empty()) {
            reject("KDNR: record id is missing", {});
            return;
        }
        record.family_name = clean_text(field(nachname));
        record.given_names = clean_text(field(vorname));
        record.birth_name = clean_text(field(geburtsname));
        if (auto reason = reject_reason(record)) {
            reject(std::move(*reason), record.record_id);
            return;
        }
        auto birth_date = parse_german_date(field(gebdat));
        if (!birth_date) {
            reject("GEBDAT: birth date cannot be read, expected TT.MM.JJJJ", record.record_id);
            return;
        }
        record.birth_date = std::move(*birth_date);

        const auto warn = [&](std::string message) {
            source.warnings.push_back(Warning{row.line, std::move(message)});
        };
        record.ids.ba_customer_number = record.record_id;
        if (!rules::is_ba_customer_number(record.record_id)) {
            warn("KDNR: customer number is not 3 digits, a letter and 6 digits");
        }
        read_person(record, warn);
        read_qualifications(record.qualifications, warn);
        read_status(record, warn);

        source.raw = row.raw;
    }

    [[nodiscard]] std::string column_label(std::size_t field_index) const {
        for (std::size_t column = 0; column < column_count; ++column) {
            if (index_[column] == field_index) return std::string(column_names[column]);
        }
        return fmt::format("#{}", field_index + 1);
    }

    template <class Warn>
    void read_person(Record& record, Warn& warn) const {
        record.birthplace = clean_text(field(gebort));
        if (const auto sex = field(geschlecht); !sex.empty()) {
            if (const auto mapped = map_sex(sex)) {
                record.sex = *mapped;
            } else {
                warn("GESCHLECHT: unknown code, expected M, W, D or X; sex left unknown");
            }
        }
        if (const auto nationality = field(staatsang); !nationality.empty()) {
            record.nationalities.push_back(rules::upper_ascii(nationality));
            if (!is_alpha3(record.nationalities.back())) {
                warn("STAATSANG: not an ISO 3166-1 alpha-3 code");
            }
        }
        record.ids.azr_number = field(azr_nr);
        if (!record.ids.azr_number.empty() && !rules::is_azr_number(record.ids.azr_number)) {
            warn("AZR_NR: AZR number is not 12 digits");
        }
        record.ids.bamf_file_number = field(bamf_az);
        if (!record.ids.bamf_file_number.empty() &&
            !rules::is_bamf_file_number(record.ids.bamf_file_number)) {
            warn("BAMF_AZ: file number is not 7 digits, '-' and 3 digits");
        }
        record.postcode = field(plz);
        record.town = clean_text(field(wohnort));
    }

    template <class Warn>
    void check_kldb(std::string_view code, std::string_view column, Warn& warn) const {
        if (!code.empty() && !is_kldb(code)) {
            warn(fmt::format("{}: not a five-digit KldB 2010 code", column));
        }
    }

    template <class Warn>
    void read_qualifications(Qualifications& q, Warn& warn) const {
        const auto school_code = field(schulabschluss);
        const auto school_years = field(schuljahre);
        if (!school_code.empty() || !school_years.empty()) {
            School school;
            school.original_code = school_code;
            if (!school_code.empty()) {
                if (const auto level = map_any_case(map_ba_school, school_code)) {
                    school.isced_level = *level;
                } else {
                    warn("SCHULABSCHLUSS: unknown code; original kept");
                }
            }
            if (!school_years.empty()) {
                if (const auto years = rules::parse_count(school_years)) {
                    school.years = *years;
                } else {
                    warn("SCHULJAHRE: not a whole number of years");
                }
            }
            q.school = std::move(school);
        }

        const auto training_kldb = field(ausbildung_kldb);
        const auto training_text = field(ausbildung_txt);
        const auto training_status = field(ausbildung_status);
        if (!training_kldb.empty() || !training_text.empty() || !training_status.empty()) {
            VocationalTraining training;
            training.kldb = training_kldb;
            check_kldb(training_kldb, "AUSBILDUNG_KLDB", warn);
            training.title = clean_text(training_text);
            training.original_status = training_status;
            if (!training_status.empty()) {
                if (auto status = map_any_case(map_training_status, training_status)) {
                    training.status = std::move(*status);
                } else {
                    warn("AUSBILDUNG_STATUS: unknown code; original kept");
                }
            }
            q.trainings.push_back(std::move(training));
        }

        const auto study = field(studium);
        const auto study_field = field(studienfach);
        if (!study.empty() || !study_field.empty()) {
            HigherEducation higher;
            higher.original_code = study;
            higher.field = clean_text(study_field);
            if (!study.empty()) {
                if (const auto level = map_any_case(map_ba_study, study)) {
                    higher.isced_level = level->isced_level;
                    higher.completed = level->completed;
                } else {
                    warn("STUDIUM: unknown code; original kept");
                }
            }
            q.higher_education = std::move(higher);
        }

        const auto experience_kldb = field(erfahrung_kldb);
        const auto experience_years = field(erfahrung_jahre);
        if (!experience_kldb.empty() || !experience_years.empty()) {
            WorkExperience experience;
            experience.kldb = experience_kldb;
            check_kldb(experience_kldb, "ERFAHRUNG_KLDB", warn);
            if (!experience_years.empty()) {
                if (const auto years = rules::parse_decimal(experience_years)) {
                    experience.years = *years;
                } else {
                    warn("ERFAHRUNG_JAHRE: not a number of years like 4,5");
                }
            }
            q.experience.push_back(std::move(experience));
        }

        q.target_occupation = field(zielberuf_kldb);
        check_kldb(q.target_occupation, "ZIELBERUF_KLDB", warn);

        const auto languages = field(sprachen);
        if (!languages.empty()) {
            q.languages.reserve(
                2 + static_cast<std::size_t>(std::count(languages.begin(), languages.end(), '|')));
        }
        if (const auto german = field(deutsch); !german.empty()) {
            Language language{"de", {}, std::string(german), {}};
            if (auto level = map_any_case(map_language_level, german)) {
                language.level = std::move(*level);
            } else {
                warn("DEUTSCH: unknown language level, expected A1..C2 or M; original kept");
            }
            q.languages.push_back(std::move(language));
        }
        read_languages(languages, q, warn);

        if (const auto recognition = field(anerkennung); !recognition.empty()) {
            Recognition r;
            r.original_status = recognition;
            if (auto status = map_any_case(map_recognition_status, recognition)) {
                r.status = std::move(*status);
            } else {
                warn("ANERKENNUNG: unknown code; original kept");
            }
            q.recognition = std::move(r);
        }
    }

    // `ar:M|en:B1`
    template <class Warn>
    static void read_languages(std::string_view text, Qualifications& q, Warn& warn) {
        bool bad_entry = false;
        bool bad_code = false;
        bool bad_level = false;
        while (!text.empty()) {
            const auto bar = text.find('|');
            const auto entry = rules::trim(text.substr(0, bar));
            text = bar == std::string_view::npos ? std::string_view() : text.substr(bar + 1);
            if (entry.empty()) continue;
            const auto colon = entry.find(':');
            Language language;
            language.code = rules::lower_ascii(rules::trim(entry.substr(0, colon)));
            if (colon == std::string_view::npos) {
                bad_entry = true;
            } else {
                language.original_level = rules::trim(entry.substr(colon + 1));
            }
            if (!is_language_code(language.code)) bad_code = true;
            if (!language.original_level.empty()) {
                if (auto level = map_any_case(map_language_level, language.original_level)) {
                    language.level = std::move(*level);
                } else {
                    bad_level = true;
                }
            }
            q.languages.push_back(std::move(language));
        }
        if (bad_entry) warn("SPRACHEN: an entry is not code:level");
        if (bad_code) warn("SPRACHEN: a language code is not ISO 639-1");
        if (bad_level)
            warn("SPRACHEN: unknown language level, expected A1..C2 or M; original kept");
    }

    template <class Warn>
    void read_status(Record& record, Warn& warn) const {
        if (const auto as_of = field(stand); as_of.empty()) {
            warn("STAND: as-of time is missing; stand left empty");
        } else if (auto utc = parse_german_local_time(as_of)) {
            record.stand = std::move(*utc);
        } else {
            warn(
                "STAND: as-of time cannot be read, expected TT.MM.JJJJ HH:MM:SS; stand left empty");
        }
        if (const auto deleted = field(loeschung); deleted == "J") {
            record.is_retracted = true;
        } else if (!deleted.empty()) {
            warn("LOESCHUNG: unknown value, expected J or empty; record not retracted");
        }
    }

    std::string file_;
    csv::BatchReader reader_;
    csv::FieldDecoder decoder_;
    std::span<const std::string_view> fields_;  // decoded fields of the row being read
    bool has_header_ = false;
    std::size_t field_count_ = 0;
    std::array<std::size_t, column_count> index_{};  // field index of each column, or absent
};

}  // namespace

std::unique_ptr<RecordParser> make_ba_csv_parser(std::string file_name) {
    return std::make_unique<BaCsvParser>(std::move(file_name));
}

}  // namespace qreg::connectors
