#pragma once

#include <string>

#include "../services/audit_service.hpp"

// The `qreg` command line: parses arguments, calls one service per command, prints.
namespace qreg::registry::cli {

// Returns the process exit status; throws qreg::Error for failures that main reports.
int run(int argc, char** argv);

// Who acts from the command line: `actor`, else the OS user, with a fresh request id.
[[nodiscard]] AuditContext cli_context(const std::string& actor);

}  // namespace qreg::registry::cli
