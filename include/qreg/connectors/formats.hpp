#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qreg/connectors/parser.hpp"

// The export formats qreg reads: the three built-in agency formats and any number of
// configured delimited-file mappings (config/connectors/*.json).
namespace qreg::connectors {

struct DelimitedMapping;

struct FormatInfo {
    std::string name;    // e.g. ba-csv-v1
    std::string source;  // the source its records are stored under, e.g. ba
    std::string description;
};

class FormatCatalog {
public:
    FormatCatalog();  // the built-in formats only
    ~FormatCatalog();
    FormatCatalog(FormatCatalog&&) noexcept;
    FormatCatalog& operator=(FormatCatalog&&) noexcept;

    // Adds a delimited mapping file's format; throws Error{invalid_input} naming the file when
    // the mapping is malformed or its format name is taken.
    void add_mapping(std::string_view json_text, std::string_view file_name);

    [[nodiscard]] std::vector<FormatInfo> formats() const;
    [[nodiscard]] std::optional<FormatInfo> find(std::string_view name) const;
    // Throws Error{invalid_input} listing the known formats when `name` is unknown.
    [[nodiscard]] std::unique_ptr<RecordParser> make_parser(std::string_view name,
                                                            std::string file_name) const;

private:
    std::vector<FormatInfo> builtin_;
    std::vector<std::shared_ptr<const DelimitedMapping>> mappings_;
};

}  // namespace qreg::connectors
