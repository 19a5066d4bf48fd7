#include "qreg/connectors/delimited.hpp"

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace c = qreg::connectors;
namespace fuzz = qreg::fuzz;

namespace {

// FEBRL as configured, and a Windows-1252 semicolon mapping with codes, stand and retraction.
const c::DelimitedMapping& mapping(bool second) {
    static const c::DelimitedMapping febrl = [] {
        const std::string path = QREG_CONFIG_DIR "/connectors/febrl.json";
        std::ifstream in(path, std::ios::binary);
        if (!in) std::abort();
        const std::string json{std::istreambuf_iterator<char>(in),
                               std::istreambuf_iterator<char>()};
        return c::parse_delimited_mapping(json, path);
    }();
    static const c::DelimitedMapping agency = c::parse_delimited_mapping(R"({
        "format": "agency", "source": "agency", "description": "fuzz", "delimiter": ";",
        "encoding": "windows-1252",
        "columns": {"record_id": "ID", "family_name": "N", "given_names": "V",
                    "birth_date": "G", "sex": "S", "nationality": "L", "azr_number": "A",
                    "stand": "T", "retracted": "R"},
        "birth_date_format": "TT.MM.JJJJ", "stand_format": "TT.MM.JJJJ HH:MM:SS",
        "retracted_values": ["J"], "active_values": ["N"],
        "codes": {"sex": {"f": "W", "m": "M"}}})",
                                                                         "agency.json");
    return second ? agency : febrl;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // First byte: high bit picks the mapping, the rest the cut.
    const auto& m = mapping((data[0] & 0x80) != 0);
    const std::size_t cut = static_cast<std::size_t>(data[0] & 0x7F) * size / 127;
    const fuzz::ParserFactory make_parser = [&] {
        return c::make_delimited_parser(m, "fuzz.csv");
    };

    const fuzz::Outcome whole = fuzz::require_csv_contract(make_parser, bytes, cut);
    for (const auto& r : whole.batch.records) fuzz::require(r.record.source == m.source);
    return 0;
}
