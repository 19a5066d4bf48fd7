#pragma once

#include "qreg/connectors/parser.hpp"

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

// Inbound connector for `ba-csv-v1`, the Bundesagentur für Arbeit export
// (../shared/formats/README.md).
namespace qreg::connectors {

// An incremental parser for one ba-csv-v1 file; `file_name` labels problems and errors.
// feed() and finish() throw Error{invalid_input} when the header lacks a required column
// (KDNR, NACHNAME, VORNAME, GEBDAT) or the file has no header; bad rows are RowProblems.
[[nodiscard]] std::unique_ptr<RecordParser> make_ba_csv_parser(std::string file_name);

// The columns, in the order of the format description (files may order them freely).
inline constexpr std::array<std::string_view, 27> ba_csv_columns = {
    "KDNR",           "NACHNAME",        "VORNAME",           "GEBURTSNAME",    "GEBDAT",
    "GEBORT",         "GESCHLECHT",      "STAATSANG",         "AZR_NR",         "BAMF_AZ",
    "PLZ",            "WOHNORT",         "SCHULABSCHLUSS",    "SCHULJAHRE",     "AUSBILDUNG_KLDB",
    "AUSBILDUNG_TXT", "AUSBILDUNG_STATUS", "STUDIUM",         "STUDIENFACH",    "ERFAHRUNG_KLDB",
    "ERFAHRUNG_JAHRE", "ZIELBERUF_KLDB", "DEUTSCH",           "SPRACHEN",       "ANERKENNUNG",
    "STAND",          "LOESCHUNG"};

// Outbound: records as a ba-csv-v1 file in this column order, for the Bundesagentur: UTF-8
// with BOM, semicolons, quotes where needed, CRLF; canonical codes mapped back to BA's (the
// original code is kept when it is one of BA's). KDNR is the BA customer number; a field the
// record does not have stays empty. The file reads back with make_ba_csv_parser.
[[nodiscard]] std::string write_ba_csv(std::span<const Record> records);

}  // namespace qreg::connectors
