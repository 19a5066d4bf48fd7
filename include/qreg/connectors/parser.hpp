#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "qreg/model/record.hpp"

// Inbound connectors: pure, incremental parsers from an export's bytes to canonical records.
// They do no I/O; the caller reads the file and feeds it chunk by chunk, so an export of any
// size is parsed in bounded memory.
namespace qreg::connectors {

struct Warning {
    std::size_t line = 0;
    std::string message;  // names the field and the rule, never the value
};

// One record as parsed from an export, with the exact bytes it came from.
struct SourceRecord {
    Record record;
    std::string raw;       // the exact CSV row, XML element or JSON line, as in the file
    std::size_t line = 0;  // 1-based line where the record starts
    std::vector<Warning> warnings;
};

// A record that could not land: kept with its raw bytes for correction.
struct RowProblem {
    std::string file;
    std::size_t line = 0;
    std::string reason;     // names the field and the rule, never the value
    std::string raw;        // exact bytes, possibly not valid UTF-8
    std::string record_id;  // when it could be read
};

struct ParseBatch {
    std::vector<SourceRecord> records;
    std::vector<RowProblem> problems;
    std::vector<Warning> warnings;  // file-level oddities (e.g. an unknown column)
};

class RecordParser {
public:
    virtual ~RecordParser() = default;
    // Consumes the next chunk of the file (any size, split anywhere, even inside a UTF-8
    // sequence) and returns the records completed by it, in file order.
    [[nodiscard]] virtual ParseBatch feed(std::string_view chunk) = 0;
    // End of file: returns what remains; an unfinished record becomes a problem.
    [[nodiscard]] virtual ParseBatch finish() = 0;
};

// Feeds all of `bytes` in one chunk, then finishes. For tests and small inputs.
[[nodiscard]] ParseBatch parse_all(RecordParser& parser, std::string_view bytes);

// Appends `more` to `into`, keeping order.
void append(ParseBatch& into, ParseBatch&& more);

}  // namespace qreg::connectors
