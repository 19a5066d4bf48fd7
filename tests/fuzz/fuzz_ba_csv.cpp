#include "qreg/connectors/ba_csv.hpp"

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace c = qreg::connectors;
namespace fuzz = qreg::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::size_t cut = static_cast<std::size_t>(data[0]) * size / 255;
    const fuzz::ParserFactory make_parser = [] {
        return c::make_ba_csv_parser("fuzz.csv");
    };

    fuzz::require_csv_contract(make_parser, bytes, cut);
    return 0;
}
