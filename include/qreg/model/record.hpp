#pragma once

#include <optional>
#include <string>
#include <vector>

// The canonical record: what every connector turns an agency's record into.
// Codes are mapped to canonical code lists; the agency's original code is kept beside them.
namespace qreg {

enum class DatePrecision { none, year, month, day };

struct BirthDate {
    int year = 0;   // 0 when unknown
    int month = 0;  // 0 when unknown
    int day = 0;    // 0 when unknown
    DatePrecision precision = DatePrecision::none;
    // `01.01.YYYY` (or `YYYY-01-01`): the agency's stand-in for "only the year is known".
    bool is_placeholder = false;
    std::string original;  // as written in the export

    friend bool operator==(const BirthDate&, const BirthDate&) = default;
};

enum class Sex { unknown, male, female, diverse };

struct PersonName {
    std::string family_name;
    std::string given_names;  // space-separated

    friend bool operator==(const PersonName&, const PersonName&) = default;
};

struct School {
    std::optional<int> isced_level;  // ISCED 2011 level 0..3 (and above)
    std::string original_code;       // e.g. BA `AH`, XML `ISCED-3`
    std::optional<double> years;
    std::string country;  // ISO 3166-1 alpha-3

    friend bool operator==(const School&, const School&) = default;
};

// Canonical training status: completed, aborted, no_certificate, in_progress, not_completed.
struct VocationalTraining {
    std::string kldb;  // KldB 2010, five digits
    std::string title;
    std::string status;
    std::string original_status;
    std::string country;

    friend bool operator==(const VocationalTraining&, const VocationalTraining&) = default;
};

struct HigherEducation {
    std::optional<int> isced_level;  // 6 bachelor, 7 master, 8 doctorate
    std::string original_code;       // e.g. BA `M`
    std::string field;
    std::optional<bool> completed;
    std::string country;

    friend bool operator==(const HigherEducation&, const HigherEducation&) = default;
};

struct WorkExperience {
    std::string kldb;
    std::string title;
    std::optional<double> years;

    friend bool operator==(const WorkExperience&, const WorkExperience&) = default;
};

struct Language {
    std::string code;   // ISO 639-1
    std::string level;  // A1..C2, or `native`; empty when unknown
    std::string original_level;
    std::string certificate;

    friend bool operator==(const Language&, const Language&) = default;
};

// Canonical recognition status: applied, equivalent, partially_equivalent, not_equivalent.
struct Recognition {
    std::string status;
    std::string original_status;
    std::string reference_occupation;  // KldB
    std::string date;                  // YYYY-MM-DD

    friend bool operator==(const Recognition&, const Recognition&) = default;
};

struct IntegrationCourse {
    std::string status;  // as the agency wrote it (e.g. abgeschlossen)
    std::string result;  // CEFR level reached, when given

    friend bool operator==(const IntegrationCourse&, const IntegrationCourse&) = default;
};

struct Qualifications {
    std::optional<School> school;
    std::vector<VocationalTraining> trainings;
    std::optional<HigherEducation> higher_education;
    std::vector<WorkExperience> experience;
    std::vector<Language> languages;
    std::optional<Recognition> recognition;
    std::optional<IntegrationCourse> integration_course;
    std::string target_occupation;  // KldB

    friend bool operator==(const Qualifications&, const Qualifications&) = default;
};

struct Identifiers {
    std::string ba_customer_number;  // `962D071234`
    std::string bg_number;           // `36102BG0012345` (household, not person)
    std::string bamf_file_number;    // `8123456-475`
    std::string azr_number;          // 12 digits
    std::string other_id;            // a further personal identifier of a mapped source

    friend bool operator==(const Identifiers&, const Identifiers&) = default;
};

struct Record {
    std::string source;     // `ba`, `jobcenter`, `bamf`, or a mapped source
    std::string record_id;  // the source's own key
    std::string stand;      // as-of time, UTC, `YYYY-MM-DDTHH:MM:SSZ`
    bool is_retracted = false;

    std::string family_name;
    std::string given_names;  // space-separated
    std::string birth_name;
    std::vector<PersonName> aliases;
    std::string original_script;  // name in original script, where known
    BirthDate birth_date;
    std::string birthplace;
    std::string birth_country;  // alpha-3
    Sex sex = Sex::unknown;
    std::vector<std::string> nationalities;  // alpha-3

    Identifiers ids;
    std::string street;        // street name
    std::string house_number;
    std::string address_extra;  // second address line
    std::string postcode;
    std::string town;
    std::string region;  // state (Bundesland) or similar

    Qualifications qualifications;

    friend bool operator==(const Record&, const Record&) = default;
};

}  // namespace qreg
