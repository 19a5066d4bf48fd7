#pragma once

#include "qreg/connectors/parser.hpp"

#include <memory>
#include <string>

namespace qreg::connectors {

// Reads `jobcenter-xml-v1` (../shared/formats/README.md): one record per <person> element,
// in memory bounded by the largest element. `feed` throws Error{invalid_input} naming the file
// and line when the document is not a <jobcenterExport>.
[[nodiscard]] std::unique_ptr<RecordParser> make_jobcenter_xml_parser(std::string file_name);

}  // namespace qreg::connectors
