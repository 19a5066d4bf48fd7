#pragma once

#include <string_view>

// A file compiled into the binary by cmake/embed.cmake: the web page and OpenAPI description
// (http/assets.hpp), the dictionaries of stored canonical records (storage/canonical_codec.hpp).
namespace qreg::registry {

struct EmbeddedFile {
    std::string_view name;     // path below registry/, e.g. http/web/index.html
    std::string_view content;
};

}  // namespace qreg::registry
