#include "qreg/connectors/bamf_jsonl.hpp"
#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace c = qreg::connectors;

namespace {

// The batch, or nullopt when the parser refused the input.
std::optional<c::ParseBatch> parse(std::string_view bytes, std::size_t split) {
    try {
        const auto parser = c::make_bamf_jsonl_parser("fuzz.jsonl");
        c::ParseBatch batch = parser->feed(bytes.substr(0, split));
        c::append(batch, parser->feed(bytes.substr(split)));
        c::append(batch, parser->finish());
        return batch;
    } catch (const qreg::Error&) {
        return std::nullopt;
    }
}

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
    const auto whole = parse(bytes, size);
    const auto halves = parse(bytes, split);
    if (whole.has_value() != halves.has_value()) std::abort();
    if (!whole) return 0;
    if (whole->records.size() != halves->records.size()) std::abort();
    for (std::size_t i = 0; i < whole->records.size(); ++i) {
        const auto& a = whole->records[i];
        const auto& b = halves->records[i];
        if (a.raw != b.raw || a.line != b.line || !(a.record == b.record)) std::abort();
        if (a.warnings.size() != b.warnings.size()) std::abort();
        if (a.line == 0 || a.raw.find('\n') != std::string_view::npos) std::abort();
        if (!is_text(a)) std::abort();
    }
    if (whole->problems.size() != halves->problems.size()) std::abort();
    for (std::size_t i = 0; i < whole->problems.size(); ++i) {
        const auto& a = whole->problems[i];
        const auto& b = halves->problems[i];
        if (a.raw != b.raw || a.line != b.line || a.reason != b.reason ||
            a.record_id != b.record_id) {
            std::abort();
        }
        if (a.reason.empty() || !c::is_valid_utf8(a.record_id)) std::abort();
    }
    if (whole->warnings.size() != halves->warnings.size()) std::abort();
    return 0;
}
