#pragma once

#include <memory>
#include <string>

#include "qreg/connectors/parser.hpp"

// Inbound connector for `bamf-jsonl-v1`, the BAMF export: one JSON object per line
// (../shared/formats/README.md).
namespace qreg::connectors {

// An incremental parser for one bamf-jsonl-v1 file; `file_name` labels problems. Memory is
// bounded by the longest line. A line that is not a JSON object, not UTF-8, or lacks the file
// number, a name or a readable birth date is a RowProblem; a last line without a newline is
// still read. feed() after finish() throws Error{internal}.
[[nodiscard]] std::unique_ptr<RecordParser> make_bamf_jsonl_parser(std::string file_name);

}  // namespace qreg::connectors
