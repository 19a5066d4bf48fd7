#pragma once

#include "qreg/connectors/parser.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Inbound connector for any delimited text file (CSV, TSV, ...) whose columns a mapping file in
// config/connectors/ assigns to canonical record fields (keys: see parse_delimited_mapping).
namespace qreg::connectors {

// The canonical fields a column can feed; the JSON names are the enumerator names.
enum class CanonicalField {
    record_id,
    family_name,
    given_names,
    birth_name,
    birth_date,
    birthplace,
    birth_country,
    sex,
    nationality,
    ba_customer_number,
    bg_number,
    bamf_file_number,
    azr_number,
    other_id,
    street,
    house_number,
    address_extra,
    postcode,
    town,
    region,
    stand,
    retracted
};

// `record_id` for CanonicalField::record_id, and so on.
[[nodiscard]] std::string_view field_name(CanonicalField field);

enum class TextEncoding { utf8, windows1252 };    // a UTF-8 BOM always means UTF-8
enum class DateFormat { yyyymmdd, german, iso };  // YYYYMMDD, TT.MM.JJJJ, YYYY-MM-DD
enum class TimeFormat { iso8601, german_local };  // 2026-11-19T14:03:00+01:00, TT.MM.JJJJ HH:MM:SS
enum class BadDatePolicy { reject, warn };        // warn: the record lands, birth date unknown
// A record without any name: rejected, or kept (with a warning) when it carries a personal
// identifier (BA customer number, BAMF file number, AZR number or other_id) to be matched by.
enum class NamelessPolicy { reject, keep_if_identified };

struct ColumnMapping {
    CanonicalField field = CanonicalField::record_id;
    std::string column;     // header name; empty when the file has no header
    std::size_t index = 0;  // 0-based position; used when the file has no header
    // Source code -> canonical code, applied before the field's own reading (e.g. sex `f` -> `W`).
    // Empty: no translation. A non-empty value missing here warns and leaves the field empty.
    std::map<std::string, std::string, std::less<>> codes;
};

struct DelimitedMapping {
    std::string format;  // the format name, e.g. febrl
    std::string source;  // Record::source of its records, e.g. febrl
    std::string description;
    char delimiter = ',';
    std::optional<char> quote = '"';  // nullopt: fields are never quoted
    TextEncoding encoding = TextEncoding::utf8;
    bool has_header = true;
    std::size_t column_count = 0;        // expected fields per row when there is no header
    bool trim = false;                   // blanks around fields and header names are dropped
    std::vector<ColumnMapping> columns;  // at most one per canonical field
    DateFormat birth_date_format = DateFormat::german;
    BadDatePolicy on_bad_date = BadDatePolicy::reject;
    NamelessPolicy without_name = NamelessPolicy::reject;
    TimeFormat stand_format = TimeFormat::iso8601;
    std::string default_stand;  // UTC `YYYY-MM-DDTHH:MM:SSZ`, when no stand column or it is empty
    std::vector<std::string> retracted_values;  // a retracted-column value that retracts
    std::vector<std::string> active_values;     // values that do not; any other value warns
};

// Reads a mapping file (JSON; `//` comments allowed). Throws Error{invalid_input} naming
// `file_name` and the key on any mistake: an unknown key or canonical field, a missing required
// key, a bad delimiter, a value of the wrong type, ... Keys:
//   format, source       required; [a-z0-9][a-z0-9._-]*; source is not ba, jobcenter or bamf
//   description          required, not empty
//   delimiter            required, one character; quote: one character or "" (default `"`)
//   encoding             required, "utf-8" or "windows-1252"
//   header               default true; when false, column_count (fields per row) is required
//   trim                 default false; skip blanks around fields (values are always trimmed)
//   columns              required, {"<canonical field>": "<header name>" or 0-based index};
//                        record_id and one of family_name, given_names, birth_name needed
//   birth_date_format    with a birth_date column: "YYYYMMDD", "TT.MM.JJJJ" or "YYYY-MM-DD"
//   on_bad_date          "reject" (default) or "warn"
//   without_name         "reject" (default) or "keep_if_identified" (NamelessPolicy)
//   stand_format         with a stand column: "ISO-8601" or "TT.MM.JJJJ HH:MM:SS"
//   default_stand        ISO 8601 time with zone; required without a stand column
//   retracted_values     with a retracted column, required; active_values optional
//   codes                {"<canonical field>": {"<source code>": "<canonical code>"}}
[[nodiscard]] DelimitedMapping parse_delimited_mapping(std::string_view json_text,
                                                       std::string_view file_name);

// An incremental parser for one file in the mapping's format; `file_name` labels problems.
// feed() and finish() throw Error{invalid_input} when the header lacks a mapped column.
[[nodiscard]] std::unique_ptr<RecordParser> make_delimited_parser(const DelimitedMapping& mapping,
                                                                  std::string file_name);

}  // namespace qreg::connectors
