#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace CLI {
class App;
}

// The commands of the running service: serve, deliver, token, agency.
namespace qreg::registry::cli {

// Adds the subcommands to `app`; the returned function runs the one that was chosen, after
// parsing, or returns nothing when none of them was. `config_dir` is read when it runs.
[[nodiscard]] std::function<std::optional<int>()> add_service_commands(
    CLI::App& app, const std::string& config_dir, const std::filesystem::path& executable);

}  // namespace qreg::registry::cli
