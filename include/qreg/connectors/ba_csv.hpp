#pragma once

#include "qreg/connectors/parser.hpp"

#include <memory>
#include <string>

// Inbound connector for `ba-csv-v1`, the Bundesagentur für Arbeit export
// (../shared/formats/README.md).
namespace qreg::connectors {

// An incremental parser for one ba-csv-v1 file; `file_name` labels problems and errors.
// feed() and finish() throw Error{invalid_input} when the header lacks a required column
// (KDNR, NACHNAME, VORNAME, GEBDAT) or the file has no header; bad rows are RowProblems.
[[nodiscard]] std::unique_ptr<RecordParser> make_ba_csv_parser(std::string file_name);

}  // namespace qreg::connectors
