#include "qreg/connectors/jobcenter_xml.hpp"

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <pugixml.hpp>
#include <string_view>

namespace c = qreg::connectors;
namespace fuzz = qreg::fuzz;

namespace {

bool contains_person(pugi::xml_node node) {
    for (const pugi::xml_node child : node.children()) {
        if (child.type() != pugi::node_element) continue;
        if (std::string_view(child.name()) == "person" || contains_person(child)) return true;
    }
    return false;
}

// Person elements outside other persons; -1 when one holds another (the scanner then cuts).
long count_persons(pugi::xml_node node) {
    long count = 0;
    for (const pugi::xml_node child : node.children()) {
        if (child.type() != pugi::node_element) continue;
        if (std::string_view(child.name()) == "person") {
            if (contains_person(child)) return -1;
            ++count;
        } else {
            const long inner = count_persons(child);
            if (inner < 0) return -1;
            count += inner;
        }
    }
    return count;
}

// Where pugixml reads the whole input as one <jobcenterExport>, each of its persons must be
// exactly one record or one problem: the scanner found the same element boundaries.
void check_against_dom(std::string_view bytes, const fuzz::Outcome& outcome) {
    if (outcome.failed || bytes.find('\0') != std::string_view::npos) return;
    pugi::xml_document doc;
    if (!doc.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_utf8)) {
        return;
    }
    long roots = 0;
    for (const pugi::xml_node child : doc.children()) roots += child.type() == pugi::node_element;
    if (roots != 1 || std::string_view(doc.document_element().name()) != "jobcenterExport") return;
    const long persons = count_persons(doc.document_element());
    if (persons < 0) return;
    const auto& batch = outcome.batch;
    fuzz::require(static_cast<std::size_t>(persons) ==
                  batch.records.size() + batch.problems.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const fuzz::ParserFactory make_parser = [] {
        return c::make_jobcenter_xml_parser("fuzz.xml");
    };
    const fuzz::Outcome whole = fuzz::run(make_parser, bytes, size);
    check_against_dom(bytes, whole);
    if (size == 0) return 0;
    // Two splits from the first byte: near the start, and anywhere in proportion. Feeding in one
    // piece and in two must give the same records, problems and warnings.
    for (const std::size_t split : {data[0] % (size + 1), size * data[0] / 255}) {
        fuzz::require_same(whole, fuzz::run(make_parser, bytes, split), fuzz::WarningCheck::all);
    }
    return 0;
}
