#pragma once

#include <filesystem>
#include <string>

#include "qreg/connectors/formats.hpp"

// Configuration is read once, at the edge, into plain values. Errors name the file and key.
namespace qreg::registry {

// The config folder: `explicit_dir` if given, else $QREG_CONFIG_DIR, else `config/` beside the
// build folder of the running binary, else the source tree's config/.
[[nodiscard]] std::filesystem::path find_config_dir(const std::filesystem::path& explicit_dir,
                                                    const std::filesystem::path& executable);

// The whole text of a configuration file; throws Error{invalid_input} naming it.
[[nodiscard]] std::string read_config_file(const std::filesystem::path& file);

// Built-in formats plus every mapping in <config>/connectors/*.json.
[[nodiscard]] connectors::FormatCatalog load_formats(const std::filesystem::path& config_dir);

}  // namespace qreg::registry
