#pragma once

#include "qreg/model/record.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The consolidated profile of one person, built from all its source records by survivorship
// rules (config/survivorship.json). Pure code: no I/O apart from load_survivorship.
//
// Profile JSON (compact, fixed key order; equal inputs give equal text whatever their order):
//   {"person_id": 7, "display_name": "AL-HASSAN, Mohamad",
//    "identity": {"field": ENTRY...}, "identifiers": {"field": ENTRY...}, "address": ENTRY|null,
//    "school": ENTRY|null, "vocational_training": [ENTRY...], "higher_education": ENTRY|null,
//    "work_experience": [ENTRY...], "languages": [ENTRY...], "recognition": ENTRY|null,
//    "integration_course": ENTRY|null, "records": [{"source","record_id","stand","is_retracted"}]}
//   ENTRY  = {"value": V, "sources": [SOURCE...], "alternatives": [ALTERNATIVE...]}
//   ALTERNATIVE = {"value": V2, "sources": [SOURCE...]}
//   SOURCE = {"source", "record_id", "stand"}
// - identity: family_name, given_names, birth_name, original_script, birthplace, birth_country,
//   sex (strings) and birth_date ({"date": "1990-05-17"|"1990-05"|"1990", "precision":
//   "day"|"month"|"year", "is_placeholder": bool}; a `01.01.` placeholder is year precision)
//   are ENTRYs; aliases ({"family_name", "given_names"}) and nationalities are [ENTRY...], the
//   union of all sources (alternatives always empty). A field no source has is left out.
// - identifiers: ba_customer_number, bg_number, bamf_file_number, azr_number, other_id; the
//   alternatives are the person's other numbers of that kind.
// - address: {street, house_number, address_extra, postcode, town, region} taken whole from one
//   record, never mixed. Qualification values are the record's objects with their original
//   codes; a language's `certificate` becomes `certificates`, those of all its sources.
// - Lists are merged across sources: languages by ISO code, trainings and work experience by
//   KldB code, else by folded title. Each list is in the order of its merge keys.
// Two values are the same when every text in them folds equal (dedup::fold: case, diacritics,
// punctuation and spacing do not count); original codes are not compared. The entry shows the
// spelling of the best-ranked source that gave it. `sources` are those that gave the chosen
// value, in (source, record_id) order; alternatives are ranked by the same rule, best first.
// Retracted records feed nothing but `records`.
namespace qreg::registry {

struct ProfileSource {
    std::string source;
    std::string record_id;
    std::string stand;          // `YYYY-MM-DDTHH:MM:SSZ`
    bool is_retracted = false;  // either this or record.is_retracted keeps it out of the profile
    Record record;
};

// Which value of a field wins. Ties go, in this order, to the most recent `stand`, the higher
// source priority, then the smaller normalised value (so the result never depends on order).
enum class SurvivorshipRule {
    most_recent,      // the latest `stand`
    most_precise,     // birth date: day > month > year; address and qualifications (not
                      // languages): the value with the most canonical parts known
    source_priority,  // the source listed first in `source_priority`; unlisted sources come last
    most_frequent,    // the value given by the most source records
    highest_level,    // ISCED (school, higher_education), CEFR (languages: native highest;
                      // integration_course: its result)
};

struct SurvivorshipRules {
    std::vector<std::string> source_priority;  // best first
    SurvivorshipRule default_rule = SurvivorshipRule::most_recent;
    std::map<std::string, SurvivorshipRule> fields;  // field name -> rule; else default_rule
};

// The JSON form: {"source_priority": [...], "default_rule": "...", "fields": {"name": "rule"}};
// keys starting with `_` are comments. Throws Error{invalid_input} naming the file and the bad
// key: unknown key, field or rule, a rule that does not apply to its field (default_rule must
// apply to all), `source_priority` not a list of distinct names, or empty while used.
[[nodiscard]] SurvivorshipRules parse_survivorship(std::string_view json_text,
                                                   std::string_view file_name);
// Reads config_dir/survivorship.json; throws Error{invalid_input} if it cannot be read.
[[nodiscard]] SurvivorshipRules load_survivorship(const std::filesystem::path& config_dir);

// The consolidated profile as compact JSON text (format above). `records` are all the
// person's source records, retracted ones included.
[[nodiscard]] std::string profile_json(std::int64_t person_id,
                                       std::span<const ProfileSource> records,
                                       const SurvivorshipRules& rules);

// The top-level keys that consent is given for, one by one.
inline constexpr std::array<std::string_view, 10> profile_categories = {
    "identity",         "identifiers",     "address",   "school",      "vocational_training",
    "higher_education", "work_experience", "languages", "recognition", "integration_course"};

// Drops every category not in `keep`, `display_name` unless `identity` is kept and `records`
// unless `identifiers` is kept (record ids are agency numbers); `person_id` always stays.
// Throws Error{invalid_input} for a name in `keep` that is not a category, or text that is
// not a profile object.
[[nodiscard]] std::string filter_profile(std::string_view profile_json,
                                         std::span<const std::string> keep);

}  // namespace qreg::registry
