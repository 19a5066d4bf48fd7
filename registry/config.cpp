#include "config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "qreg/error.hpp"

namespace qreg::registry {

namespace fs = std::filesystem;

std::string read_config_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("cannot read {}; is --config the qreg config folder?", file.string()));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path find_config_dir(const fs::path& explicit_dir, const fs::path& executable) {
    if (!explicit_dir.empty()) {
        if (!fs::is_directory(explicit_dir)) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("config folder {} does not exist", explicit_dir.string()));
        }
        return explicit_dir;
    }
    if (const char* env = std::getenv("QREG_CONFIG_DIR"); env && *env) return env;
    std::error_code ec;
    const auto exe = fs::weakly_canonical(executable, ec);
    if (!ec) {
        for (const auto& candidate : {exe.parent_path() / "config", exe.parent_path().parent_path() / "config"}) {
            if (fs::is_directory(candidate / "connectors")) return candidate;
        }
    }
    return QREG_SOURCE_CONFIG_DIR;
}

connectors::FormatCatalog load_formats(const fs::path& config_dir) {
    connectors::FormatCatalog catalog;
    const auto dir = config_dir / "connectors";
    if (!fs::is_directory(dir)) return catalog;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) catalog.add_mapping(read_config_file(file), file.string());
    return catalog;
}

}  // namespace qreg::registry
