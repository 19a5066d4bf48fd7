#include "qreg/connectors/bamf_jsonl.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

namespace qreg::connectors {

namespace {

namespace json = boost::json;

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool is_blank(std::string_view line) {
    for (const char c : line) {
        if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
    for (const char c : text) {
        if (!is_digit(c)) return false;
    }
    return true;
}

// BAMF file number: 7 digits, `-`, 3 digits (`8123456-475`).
bool is_bamf_file_number(std::string_view id) {
    return id.size() == 11 && all_digits(id.substr(0, 7)) && id[7] == '-' &&
           all_digits(id.substr(8));
}

bool is_azr_number(std::string_view id) { return id.size() == 12 && all_digits(id); }

// BA customer number: 3 digits, a capital letter, 6 digits (`962D071234`).
bool is_ba_customer_number(std::string_view id) {
    return id.size() == 10 && all_digits(id.substr(0, 3)) && id[3] >= 'A' && id[3] <= 'Z' &&
           all_digits(id.substr(4));
}

// `YYYY-MM-DDTHH:MM:SSZ` with every part in range: what parse_iso_time would return unchanged.
// BAMF writes its times this way, and the check is far cheaper than the general parser.
bool is_canonical_utc(std::string_view t) {
    if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
        t[16] != ':' || t[19] != 'Z') {
        return false;
    }
    for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
        if (!is_digit(t[i])) return false;
    }
    const auto two = [&](std::size_t at) { return (t[at] - '0') * 10 + (t[at + 1] - '0'); };
    const int year = two(0) * 100 + two(2);
    const int month = two(5);
    const int day = two(8);
    if (month < 1 || month > 12 || day < 1 || two(11) > 23 || two(14) > 59 || two(17) > 59) {
        return false;  // a leap second (:60) is left to parse_iso_time, which rolls it over
    }
    constexpr int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= (month == 2 && leap ? 29 : days[month - 1]);
}

std::string_view view_of(const json::string& s) { return {s.data(), s.size()}; }

// The value at `key`, or nullptr when the key is missing or null: both mean "not given".
const json::value* given(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    return value == nullptr || value->is_null() ? nullptr : value;
}

// A JSON integer that fits an int.
std::optional<int> to_int(const json::value& value) {
    if (const std::int64_t* i = value.if_int64()) {
        if (*i < std::numeric_limits<int>::min() || *i > std::numeric_limits<int>::max()) {
            return std::nullopt;
        }
        return static_cast<int>(*i);
    }
    if (const std::uint64_t* u = value.if_uint64()) {
        if (*u > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) return std::nullopt;
        return static_cast<int>(*u);
    }
    return std::nullopt;
}

std::optional<double> to_number(const json::value& value) {
    if (const std::int64_t* i = value.if_int64()) return static_cast<double>(*i);
    if (const std::uint64_t* u = value.if_uint64()) return static_cast<double>(*u);
    if (const double* d = value.if_double()) return *d;
    return std::nullopt;
}

// Where a field sits in the line, for messages: `soko.sprachen[1].niveau`. Formatted only when
// a message is actually written, so the common, clean record pays nothing for it.
struct Scope {
    Scope() = default;
    explicit Scope(std::string_view name_, std::optional<std::size_t> index_ = std::nullopt)
        : name(name_), index(index_) {}

    std::string_view name;  // `person`, `soko.sprachen`; empty at the top level
    std::optional<std::size_t> index;
};

std::string where(const Scope& scope, std::string_view key) {
    if (scope.name.empty()) return std::string(key);
    if (scope.index) return fmt::format("{}[{}].{}", scope.name, *scope.index, key);
    return fmt::format("{}.{}", scope.name, key);
}

std::string where(const Scope& scope) {
    if (scope.index) return fmt::format("{}[{}]", scope.name, *scope.index);
    return std::string(scope.name);
}

// Birth date parts are integers or null (unknown); anything else makes the date unreadable.
std::optional<BirthDate> read_birth_date(const json::value* date) {
    if (date == nullptr) return make_birth_date(0, 0, 0, "");
    const json::object* parts = date->if_object();
    if (parts == nullptr) return std::nullopt;
    int values[3] = {0, 0, 0};
    const std::string_view keys[3] = {"jahr", "monat", "tag"};
    for (std::size_t i = 0; i < 3; ++i) {
        const json::value* part = given(*parts, keys[i]);
        if (part == nullptr) continue;
        const auto value = to_int(*part);
        if (!value) return std::nullopt;
        values[i] = *value;
    }
    // The original as text, with 00 for an unknown part, like the other exports write it.
    std::string original;
    if (values[0] >= 0 && values[0] <= 9999 && values[1] >= 0 && values[1] <= 99 &&
        values[2] >= 0 && values[2] <= 99) {
        original = "0000-00-00";  // the common case, without a formatting library call
        const auto digit = [](int v) { return static_cast<char>('0' + v % 10); };
        original[0] = digit(values[0] / 1000);
        original[1] = digit(values[0] / 100);
        original[2] = digit(values[0] / 10);
        original[3] = digit(values[0]);
        original[5] = digit(values[1] / 10);
        original[6] = digit(values[1]);
        original[8] = digit(values[2] / 10);
        original[9] = digit(values[2]);
    } else {
        original = fmt::format("{:04}-{:02}-{:02}", values[0], values[1], values[2]);
    }
    return make_birth_date(values[0], values[1], values[2], std::move(original));
}

// Maps one line's object to a record. Rules that keep a record from landing end up in
// `problem`; everything else is a warning on the record.
class RecordReader {
public:
    // Reads into `record_out` and `warnings_out` in place: a Record is large to move.
    RecordReader(Record& record_out, std::vector<Warning>& warnings_out, std::size_t line)
        : record(record_out), warnings(warnings_out), line_(line) {}

    Record& record;
    std::vector<Warning>& warnings;
    std::string problem;

    void read(const json::object& top) {
        record.source = "bamf";
        if (!read_file_number(top)) return;
        read_ids(top);
        read_status(top);

        const json::value* person_value = given(top, "person");
        const json::object* person = person_value == nullptr ? nullptr : person_value->if_object();
        if (person == nullptr) {
            if (person_value != nullptr) {
                refuse("person: expected an object");
            } else if (!record.is_retracted) {
                refuse("person: missing");
            }
            if (!problem.empty()) return;
        } else {
            read_person(*person);
            if (auto reason = reject_reason(record)) refuse("person: " + *reason);
            if (auto date = read_birth_date(given(*person, "geburtsdatum"))) {
                record.birth_date = std::move(*date);
            } else {
                refuse("person.geburtsdatum: birth date cannot be read");
            }
            if (!problem.empty()) return;
        }

        // The address is not in the documented format; read it where an export may put it.
        const json::object* address =
            person == nullptr ? nullptr : object_at(*person, "anschrift", Scope{"person"});
        if (address != nullptr) {
            read_address(*address, Scope{"person.anschrift"});
        } else if (const json::object* top_address = object_at(top, "anschrift", Scope{})) {
            read_address(*top_address, Scope{"anschrift"});
        }
        if (const json::object* soko = object_at(top, "soko", Scope{})) read_soko(*soko);
    }

private:
    void warn(std::string message) { warnings.push_back({line_, std::move(message)}); }

    // A rule that keeps a record from landing. A retraction still lands: it names the record
    // it retracts, and the fields it retracts may be gone.
    void refuse(std::string reason) {
        if (!problem.empty()) return;  // the first reason is the one reported
        if (record.is_retracted) {
            warn(std::move(reason));
        } else {
            problem = std::move(reason);
        }
    }

    void wrong_type(const Scope& scope, std::string_view key, std::string_view expected) {
        warn(fmt::format("{}: expected {}; ignored", where(scope, key), expected));
    }

    // The object at `key`; nullptr when missing or null, or (with a warning) another type.
    const json::object* object_at(const json::object& in, std::string_view key,
                                  const Scope& scope) {
        const json::value* value = given(in, key);
        if (value == nullptr) return nullptr;
        const json::object* object = value->if_object();
        if (object == nullptr) wrong_type(scope, key, "an object");
        return object;
    }

    // The string at `key` as clean text; empty when missing or null, or (with a warning)
    // another type.
    std::string text(const json::object& in, std::string_view key, const Scope& scope) {
        const json::value* value = given(in, key);
        if (value == nullptr) return {};
        if (const json::string* s = value->if_string()) return clean_text(view_of(*s));
        wrong_type(scope, key, "a string");
        return {};
    }

    std::optional<bool> flag(const json::object& in, std::string_view key, const Scope& scope) {
        const json::value* value = given(in, key);
        if (value == nullptr) return std::nullopt;
        if (const bool* b = value->if_bool()) return *b;
        wrong_type(scope, key, "true or false");
        return std::nullopt;
    }

    std::optional<double> years(const json::object& in, std::string_view key,
                                const Scope& scope) {
        const json::value* value = given(in, key);
        if (value == nullptr) return std::nullopt;
        const auto number = to_number(*value);
        if (!number) {
            wrong_type(scope, key, "a number");
        } else if (!std::isfinite(*number) || *number < 0) {
            warn(fmt::format("{}: not a number of years (zero or more); ignored",
                             where(scope, key)));
        } else {
            return number;
        }
        return std::nullopt;
    }

    std::string country(const json::object& in, std::string_view key, const Scope& scope) {
        std::string code = text(in, key, scope);
        if (!code.empty() && !is_alpha3(code)) {
            warn(fmt::format("{}: not an ISO 3166-1 alpha-3 code", where(scope, key)));
        }
        return code;
    }

    std::string kldb(const json::object& in, std::string_view key, const Scope& scope) {
        std::string code = text(in, key, scope);
        if (!code.empty() && !is_kldb(code)) {
            warn(fmt::format("{}: not a KldB 2010 code (five digits)", where(scope, key)));
        }
        return code;
    }

    // Calls `read(element, scope)` for each object in the array at `key`.
    template <class Read>
    void for_each_object(const json::object& in, std::string_view key, const Scope& scope,
                         Read read) {
        const json::value* value = given(in, key);
        if (value == nullptr) return;
        const json::array* array = value->if_array();
        if (array == nullptr) {
            wrong_type(scope, key, "an array");
            return;
        }
        const std::string name = where(scope, key);
        for (std::size_t i = 0; i < array->size(); ++i) {
            const Scope element(name, i);
            if (const json::object* object = (*array)[i].if_object()) {
                read(*object, element);
            } else if (!(*array)[i].is_null()) {
                warn(fmt::format("{}: expected an object; ignored", where(element)));
            }
        }
    }

    // An array of strings, each cleaned; empty strings dropped.
    std::vector<std::string> texts(const json::object& in, std::string_view key,
                                   const Scope& scope) {
        std::vector<std::string> out;
        const json::value* value = given(in, key);
        if (value == nullptr) return out;
        const json::array* array = value->if_array();
        if (array == nullptr) {
            wrong_type(scope, key, "an array of strings");
            return out;
        }
        out.reserve(array->size());
        for (std::size_t i = 0; i < array->size(); ++i) {
            const json::value& element = (*array)[i];
            if (const json::string* s = element.if_string()) {
                std::string cleaned = clean_text(view_of(*s));
                if (!cleaned.empty()) out.push_back(std::move(cleaned));
            } else if (!element.is_null()) {
                warn(fmt::format("{}[{}]: expected a string; ignored", where(scope, key), i));
            }
        }
        return out;
    }

    // Given names as an array, joined with one space.
    std::string given_names(const json::object& in, const Scope& scope) {
        std::string joined;
        for (const std::string& name : texts(in, "vornamen", scope)) {
            if (!joined.empty()) joined += ' ';
            joined += name;
        }
        return joined;
    }

    bool read_file_number(const json::object& top) {
        const json::value* value = top.if_contains("aktenzeichen");
        const json::string* id = value == nullptr ? nullptr : value->if_string();
        if (value == nullptr || value->is_null()) {
            problem = "aktenzeichen: missing";
            return false;
        }
        if (id == nullptr) {
            problem = "aktenzeichen: expected a string";
            return false;
        }
        record.record_id = clean_text(view_of(*id));
        if (record.record_id.empty()) {
            problem = "aktenzeichen: empty";
            return false;
        }
        if (!is_bamf_file_number(record.record_id)) {
            warn("aktenzeichen: not a BAMF file number (7 digits, -, 3 digits)");
        }
        record.ids.bamf_file_number = record.record_id;
        return true;
    }

    void read_ids(const json::object& top) {
        const Scope scope{};
        record.ids.azr_number = text(top, "azrNummer", scope);
        if (!record.ids.azr_number.empty() && !is_azr_number(record.ids.azr_number)) {
            warn("azrNummer: not an AZR number (12 digits)");
        }
        record.ids.ba_customer_number = text(top, "kundennummer", scope);
        if (!record.ids.ba_customer_number.empty() &&
            !is_ba_customer_number(record.ids.ba_customer_number)) {
            warn("kundennummer: not a BA customer number (3 digits, a capital letter, 6 digits)");
        }
    }

    void read_status(const json::object& top) {
        const Scope scope{};
        const json::value* stand = given(top, "stand");
        if (stand == nullptr) {
            warn("stand: as-of time is missing");
        } else if (const json::string* s = stand->if_string()) {
            if (is_canonical_utc(view_of(*s))) {
                record.stand.assign(view_of(*s));
            } else if (auto time = parse_iso_time(view_of(*s))) {
                record.stand = std::move(*time);
            } else {
                warn("stand: as-of time cannot be read, expected ISO 8601 with a zone offset");
            }
        } else {
            wrong_type(scope, "stand", "a string");
        }
        record.is_retracted = flag(top, "geloescht", scope).value_or(false);
    }

    void read_person(const json::object& person) {
        const Scope scope{"person"};
        record.family_name = text(person, "familienname", scope);
        record.given_names = given_names(person, scope);
        record.birth_name = text(person, "geburtsname", scope);
        for_each_object(person, "aliasNamen", scope,
                        [&](const json::object& alias, const Scope& at) {
                            PersonName name{text(alias, "familienname", at), given_names(alias, at)};
                            if (!name.family_name.empty() || !name.given_names.empty()) {
                                record.aliases.push_back(std::move(name));
                            }
                        });
        record.original_script = text(person, "originalschrift", scope);
        record.birthplace = text(person, "geburtsort", scope);
        record.birth_country = country(person, "geburtsland", scope);

        if (const std::string sex = text(person, "geschlecht", scope); !sex.empty()) {
            if (const auto mapped = map_sex(sex)) {
                record.sex = *mapped;
            } else {
                warn("person.geschlecht: unknown code, expected M, W, D or X");
            }
        }
        record.nationalities = texts(person, "staatsangehoerigkeiten", scope);
        for (const std::string& code : record.nationalities) {
            if (!is_alpha3(code)) {
                warn("person.staatsangehoerigkeiten: not an ISO 3166-1 alpha-3 code");
                break;
            }
        }
    }

    void read_address(const json::object& address, const Scope& scope) {
        record.street = text(address, "strasse", scope);
        record.house_number = text(address, "hausnummer", scope);
        record.address_extra = text(address, "zusatz", scope);
        record.postcode = text(address, "plz", scope);
        record.town = text(address, "ort", scope);
        record.region = text(address, "bundesland", scope);
    }

    void read_soko(const json::object& soko) {
        const Scope scope{"soko"};
        Qualifications& q = record.qualifications;
        read_school(soko, scope);
        for_each_object(soko, "berufsausbildung", scope,
                        [&](const json::object& entry, const Scope& at) {
                            q.trainings.push_back(read_training(entry, at));
                        });
        if (const json::object* study = object_at(soko, "studium", scope)) {
            q.higher_education = read_study(*study, Scope{"soko.studium"});
        }
        for_each_object(soko, "berufserfahrung", scope,
                        [&](const json::object& entry, const Scope& at) {
                            q.experience.push_back(
                                {kldb(entry, "kldb", at), text(entry, "beruf", at),
                                 years(entry, "jahre", at)});
                        });
        for_each_object(soko, "sprachen", scope, [&](const json::object& entry, const Scope& at) {
            q.languages.push_back(read_language(entry, at));
        });
        if (const json::object* recognition = object_at(soko, "anerkennung", scope)) {
            q.recognition = read_recognition(*recognition, Scope{"soko.anerkennung"});
        }
        if (const json::object* course = object_at(soko, "integrationskurs", scope)) {
            q.integration_course = read_course(*course, Scope{"soko.integrationskurs"});
        }
        q.target_occupation = kldb(soko, "zielberuf", scope);
    }

    void read_school(const json::object& soko, const Scope& scope) {
        School school;
        school.years = years(soko, "schulbesuchJahre", scope);
        school.original_code = text(soko, "hoechsterSchulabschluss", scope);
        if (!school.original_code.empty()) {
            school.isced_level = map_isced_school(school.original_code);
            if (!school.isced_level) {
                warn("soko.hoechsterSchulabschluss: unknown school level, expected ISCED-0 to "
                     "ISCED-3");
            }
        }
        if (school.years || !school.original_code.empty()) {
            record.qualifications.school = std::move(school);
        }
    }

    VocationalTraining read_training(const json::object& entry, const Scope& at) {
        VocationalTraining training;
        training.kldb = kldb(entry, "kldb", at);
        training.title = text(entry, "beruf", at);
        if (const auto completed = flag(entry, "abgeschlossen", at)) {
            training.status = *completed ? "completed" : "not_completed";
            training.original_status = *completed ? "true" : "false";
        }
        training.country = country(entry, "land", at);
        return training;
    }

    HigherEducation read_study(const json::object& study, const Scope& at) {
        HigherEducation out;
        out.field = text(study, "fach", at);
        if (const json::value* level = given(study, "iscedStufe")) {
            if (const auto number = to_int(*level)) {
                out.original_code = std::to_string(*number);
                if (*number >= 0 && *number <= 8) {
                    out.isced_level = *number;
                } else {
                    warn("soko.studium.iscedStufe: not an ISCED 2011 level (0 to 8)");
                }
            } else {
                wrong_type(at, "iscedStufe", "an integer");
            }
        }
        out.completed = flag(study, "abgeschlossen", at);
        out.country = country(study, "land", at);
        return out;
    }

    Language read_language(const json::object& entry, const Scope& at) {
        Language language;
        language.code = text(entry, "code", at);
        if (!language.code.empty() && !is_language_code(language.code)) {
            warn(fmt::format("{}: not an ISO 639-1 code (two lower-case letters)",
                             where(at, "code")));
        }
        language.original_level = text(entry, "niveau", at);
        if (!language.original_level.empty()) {
            if (auto level = map_language_level(language.original_level)) {
                language.level = std::move(*level);
            } else {
                warn(fmt::format("{}: unknown language level, expected A1 to C2 or muttersprache",
                                 where(at, "niveau")));
            }
        }
        language.certificate = text(entry, "nachweis", at);
        return language;
    }

    Recognition read_recognition(const json::object& entry, const Scope& at) {
        Recognition recognition;
        recognition.reference_occupation = kldb(entry, "referenzberuf", at);
        recognition.original_status = text(entry, "status", at);
        if (!recognition.original_status.empty()) {
            if (auto status = map_recognition_status(recognition.original_status)) {
                recognition.status = std::move(*status);
            } else {
                warn("soko.anerkennung.status: unknown recognition status, expected beantragt, "
                     "gleichwertig, teilweise_gleichwertig or nicht_gleichwertig");
            }
        }
        std::string date = text(entry, "datum", at);
        if (!date.empty()) {
            const auto parsed = parse_iso_date(date);
            if (parsed && parsed->precision == DatePrecision::day) {
                recognition.date = std::move(date);
            } else {
                warn("soko.anerkennung.datum: date cannot be read, expected YYYY-MM-DD");
            }
        }
        return recognition;
    }

    IntegrationCourse read_course(const json::object& entry, const Scope& at) {
        IntegrationCourse course{text(entry, "status", at), text(entry, "ergebnis", at)};
        if (!course.result.empty()) {
            const auto level = map_language_level(course.result);
            if (!level || *level == "native") {
                warn("soko.integrationskurs.ergebnis: not a CEFR level, expected A1 to C2");
            }
        }
        return course;
    }

    std::size_t line_;
};

// UTF-8 is checked on the whole line first, with the rule all connectors share, so the JSON
// parser need not check it again; that also lets us read the file number of such a line.
json::parse_options parse_options() {
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    return options;
}

class BamfJsonlParser final : public RecordParser {
public:
    explicit BamfJsonlParser(std::string file_name) : file_(std::move(file_name)) {}

    ParseBatch feed(std::string_view chunk) override {
        if (is_finished_) throw Error{ErrorCode::internal, file_ + ": feed after finish"};
        ParseBatch out;
        out.records.reserve(static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n')));
        while (!chunk.empty()) {
            const std::size_t end = chunk.find('\n');
            if (end == std::string_view::npos) {
                pending_.append(chunk);
                break;
            }
            if (pending_.empty()) {
                read_line(chunk.substr(0, end), out);
            } else {
                pending_.append(chunk.substr(0, end));
                read_line(pending_, out);
                pending_.clear();
            }
            chunk.remove_prefix(end + 1);
        }
        return out;
    }

    ParseBatch finish() override {
        if (is_finished_) throw Error{ErrorCode::internal, file_ + ": finish called twice"};
        is_finished_ = true;
        ParseBatch out;
        // A last line without a newline is a complete line all the same.
        if (!pending_.empty()) read_line(pending_, out);
        pending_.clear();
        pending_.shrink_to_fit();
        return out;
    }

private:
    void read_line(std::string_view line, ParseBatch& out) {
        const std::size_t number = ++line_count_;
        if (number == 1 && line.starts_with(utf8_bom)) line.remove_prefix(utf8_bom.size());
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) return;

        if (!is_valid_utf8(line)) {
            RowProblem problem = make_problem(line, number, "line is not valid UTF-8");
            if (const auto top = parse(line); top && top->is_object()) {
                const json::value* id = top->get_object().if_contains("aktenzeichen");
                if (id != nullptr && id->is_string() && is_valid_utf8(view_of(id->get_string()))) {
                    problem.record_id = clean_text(view_of(id->get_string()));
                }
            }
            out.problems.push_back(std::move(problem));
            return;
        }

        json::error_code ec;
        const auto top = parse(line, &ec);
        if (!top) {
            out.problems.push_back(
                make_problem(line, number, "line is not valid JSON: " + ec.message()));
            return;
        }
        const json::object* object = top->if_object();
        if (object == nullptr) {
            out.problems.push_back(make_problem(line, number, "line is not a JSON object"));
            return;
        }
        SourceRecord& landed = out.records.emplace_back();
        RecordReader reader(landed.record, landed.warnings, number);
        reader.read(*object);
        if (!reader.problem.empty()) {
            RowProblem problem = make_problem(line, number, std::move(reader.problem));
            problem.record_id = std::move(landed.record.record_id);
            out.records.pop_back();
            out.problems.push_back(std::move(problem));
            return;
        }
        landed.raw.assign(line);
        landed.line = number;
    }

    // Parses one complete line into the per-line arena; the value lives until the next call.
    std::optional<json::value> parse(std::string_view line, json::error_code* error = nullptr) {
        arena_.release();
        parser_.reset(&arena_);
        json::error_code ec;
        parser_.write(line.data(), line.size(), ec);
        if (ec) {
            if (error != nullptr) *error = ec;
            return std::nullopt;
        }
        return parser_.release();
    }

    RowProblem make_problem(std::string_view line, std::size_t number, std::string reason) const {
        return {file_, number, std::move(reason), std::string(line), {}};
    }

    std::string file_;
    std::string pending_;  // the unfinished line: memory is bounded by the longest line
    std::size_t line_count_ = 0;
    bool is_finished_ = false;
    // Per-line storage: most lines fit the initial buffer, so parsing allocates nothing.
    unsigned char arena_buffer_[16384];
    json::monotonic_resource arena_{arena_buffer_};
    unsigned char parser_buffer_[4096];
    json::parser parser_{json::storage_ptr(), parse_options(), parser_buffer_};
};

}  // namespace

std::unique_ptr<RecordParser> make_bamf_jsonl_parser(std::string file_name) {
    return std::make_unique<BamfJsonlParser>(std::move(file_name));
}

}  // namespace qreg::connectors
