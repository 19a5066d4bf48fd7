#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "qreg/dedup/em.hpp"
#include "qreg/dedup/engine.hpp"

// Matching settings from config/matching.json, and the trained model as stored JSON.
namespace qreg::registry {

// Throws Error{invalid_input} naming the file and the key on any mistake.
[[nodiscard]] dedup::MatchSettings parse_match_settings(std::string_view json_text,
                                                        std::string_view file_name);
[[nodiscard]] dedup::MatchSettings load_match_settings(const std::filesystem::path& config_dir);

[[nodiscard]] std::string parameters_to_json(const dedup::FsParameters& parameters);
// Throws Error{storage} when the stored model does not fit the field layout of this qreg.
[[nodiscard]] dedup::FsParameters parameters_from_json(std::string_view json_text);

}  // namespace qreg::registry
