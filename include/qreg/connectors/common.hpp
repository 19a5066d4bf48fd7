#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "qreg/model/record.hpp"

// Helpers shared by the connectors: text, dates, times and the code lists of
// ../shared/formats/README.md. All pure.
namespace qreg::connectors {

// Windows-1252 to UTF-8. Returns nullopt if a byte is undefined in Windows-1252
// (0x81, 0x8D, 0x8F, 0x90, 0x9D).
[[nodiscard]] std::optional<std::string> cp1252_to_utf8(std::string_view bytes);
[[nodiscard]] bool is_valid_utf8(std::string_view bytes);

// Removes leading/trailing ASCII whitespace and collapses inner runs to one space.
[[nodiscard]] std::string clean_text(std::string_view text);

// Birth dates. Returns nullopt when the text is not a date at all (the record is then
// rejected). An empty text gives precision none.
// `TT.MM.JJJJ` with `00` for unknown parts (BA).
[[nodiscard]] std::optional<BirthDate> parse_german_date(std::string_view text);
// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, also `YYYY-00-00` (XML).
[[nodiscard]] std::optional<BirthDate> parse_iso_date(std::string_view text);
// Parts as numbers, 0 for unknown (JSON). `original` is what the record showed.
[[nodiscard]] std::optional<BirthDate> make_birth_date(int year, int month, int day,
                                                       std::string original);

// As-of times, normalised to UTC `YYYY-MM-DDTHH:MM:SSZ`; nullopt if unreadable.
// `TT.MM.JJJJ HH:MM:SS` in German local time (CET/CEST).
[[nodiscard]] std::optional<std::string> parse_german_local_time(std::string_view text);
// ISO 8601 with `Z` or `+HH:MM` offset.
[[nodiscard]] std::optional<std::string> parse_iso_time(std::string_view text);
// The other way: an ISO 8601 time as `TT.MM.JJJJ HH:MM:SS` in German local time.
[[nodiscard]] std::optional<std::string> format_german_local_time(std::string_view utc);

// Code lists. Each returns nullopt for an unknown code (the caller keeps the original
// and warns).
[[nodiscard]] std::optional<Sex> map_sex(std::string_view code);  // M W D X, m w d x
// BA school codes KA HS MR FH AH AU → ISCED 2011 level; AU (not assessed) → level unknown.
[[nodiscard]] std::optional<std::optional<int>> map_ba_school(std::string_view code);
// `ISCED-3` → 3.
[[nodiscard]] std::optional<int> map_isced_school(std::string_view code);
// BA STUDIUM B M P S → ISCED level and completed.
struct StudyLevel {
    std::optional<int> isced_level;
    bool completed = false;
};
[[nodiscard]] std::optional<StudyLevel> map_ba_study(std::string_view code);
// abgeschlossen abgebrochen ohne_nachweis laufend → completed aborted no_certificate in_progress.
[[nodiscard]] std::optional<std::string> map_training_status(std::string_view code);
// A1..C2 as is; M, muttersprache → native.
[[nodiscard]] std::optional<std::string> map_language_level(std::string_view code);
// beantragt gleichwertig teilweise_gleichwertig nicht_gleichwertig →
// applied equivalent partially_equivalent not_equivalent.
[[nodiscard]] std::optional<std::string> map_recognition_status(std::string_view code);
[[nodiscard]] bool is_alpha3(std::string_view code);
[[nodiscard]] bool is_language_code(std::string_view code);  // two lower-case letters
[[nodiscard]] bool is_kldb(std::string_view code);           // five digits

// Why a parsed record may not land, or nullopt if it may: a missing record id or no name.
[[nodiscard]] std::optional<std::string> reject_reason(const Record& record);

}  // namespace qreg::connectors
