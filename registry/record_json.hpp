#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qreg/model/record.hpp"

// The canonical record as JSON: stored with every version, printed by `qreg records`.
// The serialisation is stable (fixed key order), so equal records give equal text.
namespace qreg::registry {

[[nodiscard]] std::string to_json(const Record& record);
// Throws Error{storage} if the text is not a canonical record.
[[nodiscard]] Record record_from_json(std::string_view json);

[[nodiscard]] std::string_view sex_code(Sex sex);           // male female diverse unknown
[[nodiscard]] std::string_view precision_code(DatePrecision p);  // none year month day

}  // namespace qreg::registry
