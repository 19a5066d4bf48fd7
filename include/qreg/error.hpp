#pragma once

#include <stdexcept>
#include <string>

namespace qreg {

enum class ErrorCode { invalid_input, not_found, conflict, forbidden, storage, internal };

// The one exception type of qreg. The message carries context (file, line, internal id)
// and never personal data.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

}  // namespace qreg
