#pragma once

// The `qreg` command line: parses arguments, calls one service per command, prints.
namespace qreg::registry::cli {

// Returns the process exit status; throws qreg::Error for failures that main reports.
int run(int argc, char** argv);

}  // namespace qreg::registry::cli
