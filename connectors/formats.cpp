#include "qreg/connectors/formats.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "qreg/connectors/ba_csv.hpp"
#include "qreg/connectors/bamf_jsonl.hpp"
#include "qreg/connectors/delimited.hpp"
#include "qreg/connectors/jobcenter_xml.hpp"
#include "qreg/error.hpp"

namespace qreg::connectors {

FormatCatalog::FormatCatalog()
    : builtin_{
          {"ba-csv-v1", "ba",
           "Bundesagentur für Arbeit, VerBIS extract: CSV, Windows-1252 or UTF-8 with BOM"},
          {"jobcenter-xml-v1", "jobcenter", "Jobcenter (SGB II) XSozial-style extract: XML"},
          {"bamf-jsonl-v1", "bamf", "BAMF: one JSON object per line"},
      } {}

FormatCatalog::~FormatCatalog() = default;
FormatCatalog::FormatCatalog(FormatCatalog&&) noexcept = default;
FormatCatalog& FormatCatalog::operator=(FormatCatalog&&) noexcept = default;

void FormatCatalog::add_mapping(std::string_view json_text, std::string_view file_name) {
    auto mapping = std::make_shared<const DelimitedMapping>(parse_delimited_mapping(json_text, file_name));
    if (find(mapping->format)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: format {} is already defined; give the mapping another name",
                                file_name, mapping->format));
    }
    mappings_.push_back(std::move(mapping));
}

std::vector<FormatInfo> FormatCatalog::formats() const {
    auto out = builtin_;
    for (const auto& m : mappings_) out.push_back({m->format, m->source, m->description});
    return out;
}

std::optional<FormatInfo> FormatCatalog::find(std::string_view name) const {
    for (const auto& f : formats()) {
        if (f.name == name) return f;
    }
    return std::nullopt;
}

std::unique_ptr<RecordParser> FormatCatalog::make_parser(std::string_view name,
                                                         std::string file_name) const {
    if (name == "ba-csv-v1") return make_ba_csv_parser(std::move(file_name));
    if (name == "jobcenter-xml-v1") return make_jobcenter_xml_parser(std::move(file_name));
    if (name == "bamf-jsonl-v1") return make_bamf_jsonl_parser(std::move(file_name));
    for (const auto& m : mappings_) {
        if (m->format == name) return make_delimited_parser(*m, std::move(file_name));
    }
    std::string known;
    for (const auto& f : formats()) known += (known.empty() ? "" : ", ") + f.name;
    throw Error(ErrorCode::invalid_input,
                fmt::format("unknown format '{}'; known formats: {}", name, known));
}

}  // namespace qreg::connectors
