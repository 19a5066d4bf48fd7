#include "qreg/connectors/bamf_jsonl.hpp"

#include "fuzz_support.hpp"

#include "qreg/connectors/common.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace c = qreg::connectors;
namespace fuzz = qreg::fuzz;

namespace {

// What lands must be text: the registry stores and serves it as UTF-8.
bool is_text(const c::SourceRecord& r) {
    const qreg::Record& rec = r.record;
    if (!c::is_valid_utf8(r.raw) || !c::is_valid_utf8(rec.record_id) ||
        !c::is_valid_utf8(rec.family_name) || !c::is_valid_utf8(rec.given_names) ||
        !c::is_valid_utf8(rec.original_script)) {
        return false;
    }
    for (const auto& alias : rec.aliases) {
        if (!c::is_valid_utf8(alias.family_name) || !c::is_valid_utf8(alias.given_names)) {
            return false;
        }
    }
    return true;
}

}  // namespace

// Feeding in one piece and in two must give the same records, problems and warnings.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::size_t split = size == 0 ? 0 : data[0] % (size + 1);
    const fuzz::ParserFactory make_parser = [] {
        return c::make_bamf_jsonl_parser("fuzz.jsonl");
    };

    const fuzz::Outcome whole = fuzz::run(make_parser, bytes, size);
    fuzz::require_same(whole, fuzz::run(make_parser, bytes, split), fuzz::WarningCheck::count);
    if (whole.failed) return 0;
    for (const auto& r : whole.batch.records) {
        fuzz::require(r.line != 0 && r.raw.find('\n') == std::string_view::npos);
        fuzz::require(is_text(r));
    }
    for (const auto& p : whole.batch.problems) {
        fuzz::require(!p.reason.empty() && c::is_valid_utf8(p.record_id));
    }
    return 0;
}
