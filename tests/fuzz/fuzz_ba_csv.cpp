#include "qreg/connectors/ba_csv.hpp"

#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace c = qreg::connectors;

namespace {

struct Outcome {
    bool failed = false;  // a file-level Error (a bad header): an expected outcome
    c::ParseBatch batch;
};

// Feeds `bytes` cut at each position in `cuts` (ascending), then finishes.
template <std::size_t N>
Outcome run(std::string_view bytes, const std::size_t (&cuts)[N]) {
    Outcome out;
    const auto parser = c::make_ba_csv_parser("fuzz.csv");
    try {
        std::size_t at = 0;
        for (const std::size_t cut : cuts) {
            c::append(out.batch, parser->feed(bytes.substr(at, cut - at)));
            at = cut;
        }
        c::append(out.batch, parser->feed(bytes.substr(at)));
        c::append(out.batch, parser->finish());
    } catch (const qreg::Error&) {
        out.failed = true;
    }
    return out;
}

void require(bool condition) {
    if (!condition) std::abort();
}

void require_utf8(const qreg::Record& r) {
    for (const auto* text : {&r.record_id, &r.family_name, &r.given_names, &r.birth_name,
                             &r.birthplace, &r.town, &r.postcode, &r.stand, &r.birth_date.original,
                             &r.ids.azr_number, &r.ids.bamf_file_number}) {
        require(c::is_valid_utf8(*text));
    }
    for (const auto& n : r.nationalities) require(c::is_valid_utf8(n));
    for (const auto& l : r.qualifications.languages) {
        require(c::is_valid_utf8(l.code) && c::is_valid_utf8(l.original_level));
    }
}

void require_same(const Outcome& a, const Outcome& b) {
    require(a.failed == b.failed);
    if (a.failed) return;
    require(a.batch.records.size() == b.batch.records.size());
    for (std::size_t i = 0; i < a.batch.records.size(); ++i) {
        const auto& x = a.batch.records[i];
        const auto& y = b.batch.records[i];
        require(x.raw == y.raw && x.line == y.line && x.record == y.record);
        require(x.warnings.size() == y.warnings.size());
        for (std::size_t k = 0; k < x.warnings.size(); ++k) {
            require(x.warnings[k].message == y.warnings[k].message);
        }
    }
    require(a.batch.problems.size() == b.batch.problems.size());
    for (std::size_t i = 0; i < a.batch.problems.size(); ++i) {
        const auto& x = a.batch.problems[i];
        const auto& y = b.batch.problems[i];
        require(x.raw == y.raw && x.line == y.line && x.reason == y.reason &&
                x.record_id == y.record_id);
    }
    require(a.batch.warnings.size() == b.batch.warnings.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::size_t cut = static_cast<std::size_t>(data[0]) * size / 255;

    const Outcome whole = run(bytes, {size});
    const Outcome split = run(bytes, {cut});
    require_same(whole, split);
    if (size <= 512) {  // every byte its own chunk: cheap for small inputs only
        Outcome bytewise;
        const auto parser = c::make_ba_csv_parser("fuzz.csv");
        try {
            for (std::size_t i = 0; i < size; ++i) {
                c::append(bytewise.batch, parser->feed(bytes.substr(i, 1)));
            }
            c::append(bytewise.batch, parser->finish());
        } catch (const qreg::Error&) {
            bytewise.failed = true;
        }
        require_same(whole, bytewise);
    }

    for (const auto& r : whole.batch.records) {
        require(r.line >= 2 && !r.raw.empty());
        require_utf8(r.record);
        require(!r.record.record_id.empty());
        for (const auto& w : r.warnings) require(w.line == r.line && !w.message.empty());
    }
    for (const auto& p : whole.batch.problems) {
        require(p.line >= 2 && !p.raw.empty() && !p.reason.empty());
        require(c::is_valid_utf8(p.reason) && c::is_valid_utf8(p.record_id));
    }
    return 0;
}
