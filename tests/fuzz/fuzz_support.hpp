#pragma once

#include "qreg/connectors/common.hpp"
#include "qreg/connectors/parser.hpp"
#include "qreg/error.hpp"
#include "qreg/model/record.hpp"

#include <cstddef>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

// Shared by the libFuzzer harnesses: feeding a parser in chunks, and the checks every parser must
// pass whatever its input. A failed check aborts, which libFuzzer reports as a crash.
namespace qreg::fuzz {

using ParserFactory = std::function<std::unique_ptr<connectors::RecordParser>()>;

struct Outcome {
    bool failed = false;  // a file-level Error (a bad header): an expected outcome
    connectors::ParseBatch batch;
};

// Feeds `bytes` in two chunks cut at `cut` (the second empty when `cut` is the size), then
// finishes, all on a new parser.
inline Outcome run(const ParserFactory& make_parser, std::string_view bytes, std::size_t cut) {
    Outcome out;
    const auto parser = make_parser();
    try {
        connectors::append(out.batch, parser->feed(bytes.substr(0, cut)));
        connectors::append(out.batch, parser->feed(bytes.substr(cut)));
        connectors::append(out.batch, parser->finish());
    } catch (const Error&) {
        out.failed = true;
    }
    return out;
}

// Feeds every byte as its own chunk, then finishes, on a new parser.
inline Outcome run_bytewise(const ParserFactory& make_parser, std::string_view bytes) {
    Outcome out;
    const auto parser = make_parser();
    try {
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            connectors::append(out.batch, parser->feed(bytes.substr(i, 1)));
        }
        connectors::append(out.batch, parser->finish());
    } catch (const Error&) {
        out.failed = true;
    }
    return out;
}

inline void require(bool condition) {
    if (!condition) std::abort();
}

// What lands must be text: the registry stores and serves it as UTF-8.
inline void require_utf8(const Record& r) {
    for (const auto* text : {&r.record_id, &r.family_name, &r.given_names, &r.birth_name,
                             &r.birthplace, &r.town, &r.postcode, &r.stand, &r.birth_date.original,
                             &r.ids.azr_number, &r.ids.bamf_file_number}) {
        require(connectors::is_valid_utf8(*text));
    }
    for (const auto& n : r.nationalities) require(connectors::is_valid_utf8(n));
    for (const auto& l : r.qualifications.languages) {
        require(connectors::is_valid_utf8(l.code) && connectors::is_valid_utf8(l.original_level));
    }
}

// How closely the warnings of two runs must agree; each harness keeps the strictness it had.
enum class WarningCheck {
    count,            // as many per record and per batch
    record_messages,  // and the same message for each record warning
    all,              // and the same line and message for every warning
};

// Two runs over the same bytes must give the same outcome: records, problems and warnings.
inline void require_same(const Outcome& a, const Outcome& b, WarningCheck check) {
    const auto require_same_warnings = [](const std::vector<connectors::Warning>& x,
                                          const std::vector<connectors::Warning>& y, bool lines) {
        require(x.size() == y.size());
        for (std::size_t k = 0; k < x.size(); ++k) {
            require(x[k].message == y[k].message && (!lines || x[k].line == y[k].line));
        }
    };
    require(a.failed == b.failed);
    if (a.failed) return;
    require(a.batch.records.size() == b.batch.records.size());
    for (std::size_t i = 0; i < a.batch.records.size(); ++i) {
        const auto& x = a.batch.records[i];
        const auto& y = b.batch.records[i];
        require(x.raw == y.raw && x.line == y.line && x.record == y.record);
        if (check == WarningCheck::count) {
            require(x.warnings.size() == y.warnings.size());
        } else {
            require_same_warnings(x.warnings, y.warnings, check == WarningCheck::all);
        }
    }
    require(a.batch.problems.size() == b.batch.problems.size());
    for (std::size_t i = 0; i < a.batch.problems.size(); ++i) {
        const auto& x = a.batch.problems[i];
        const auto& y = b.batch.problems[i];
        require(x.raw == y.raw && x.line == y.line && x.reason == y.reason &&
                x.record_id == y.record_id);
    }
    if (check == WarningCheck::all) {
        require_same_warnings(a.batch.warnings, b.batch.warnings, true);
    } else {
        require(a.batch.warnings.size() == b.batch.warnings.size());
    }
}

// The checks the two CSV harnesses share. Feeds `bytes` whole, cut at `cut` and, up to 512
// bytes, byte by byte: all must agree. Every record and problem of the whole run sits below the
// header row and is text. Returns the whole run for the harness's own checks.
inline Outcome require_csv_contract(const ParserFactory& make_parser, std::string_view bytes,
                                    std::size_t cut) {
    Outcome whole = run(make_parser, bytes, bytes.size());
    require_same(whole, run(make_parser, bytes, cut), WarningCheck::record_messages);
    if (bytes.size() <= 512) {  // every byte its own chunk: cheap for small inputs only
        require_same(whole, run_bytewise(make_parser, bytes), WarningCheck::record_messages);
    }

    for (const auto& r : whole.batch.records) {
        require(r.line >= 2 && !r.raw.empty());
        require_utf8(r.record);
        require(!r.record.record_id.empty());
        for (const auto& w : r.warnings) require(w.line == r.line && !w.message.empty());
    }
    for (const auto& p : whole.batch.problems) {
        require(p.line >= 2 && !p.raw.empty() && !p.reason.empty());
        require(connectors::is_valid_utf8(p.reason) && connectors::is_valid_utf8(p.record_id));
    }
    return whole;
}

}  // namespace qreg::fuzz
