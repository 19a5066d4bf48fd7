#include "qreg/connectors/jobcenter_xml.hpp"
#include "qreg/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <pugixml.hpp>
#include <string_view>
#include <vector>

namespace c = qreg::connectors;

namespace {

bool same(const std::vector<c::Warning>& a, const std::vector<c::Warning>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].line != b[i].line || a[i].message != b[i].message) return false;
    }
    return true;
}

// The batch, or nullopt when the parser refused the input (an expected outcome).
std::optional<c::ParseBatch> parse(std::string_view bytes, std::size_t split) {
    try {
        const auto parser = c::make_jobcenter_xml_parser("fuzz.xml");
        c::ParseBatch batch = parser->feed(bytes.substr(0, split));
        c::append(batch, parser->feed(bytes.substr(split)));
        c::append(batch, parser->finish());
        return batch;
    } catch (const qreg::Error&) {
        return std::nullopt;
    }
}

// Feeding in one piece and in two must give the same records, problems and warnings.
void check_same(const std::optional<c::ParseBatch>& whole,
                const std::optional<c::ParseBatch>& halves) {
    if (whole.has_value() != halves.has_value()) std::abort();
    if (!whole) return;
    if (whole->records.size() != halves->records.size()) std::abort();
    for (std::size_t i = 0; i < whole->records.size(); ++i) {
        const auto& a = whole->records[i];
        const auto& b = halves->records[i];
        if (a.raw != b.raw || a.line != b.line || !(a.record == b.record)) std::abort();
        if (!same(a.warnings, b.warnings)) std::abort();
    }
    if (whole->problems.size() != halves->problems.size()) std::abort();
    for (std::size_t i = 0; i < whole->problems.size(); ++i) {
        const auto& a = whole->problems[i];
        const auto& b = halves->problems[i];
        if (a.raw != b.raw || a.line != b.line || a.reason != b.reason ||
            a.record_id != b.record_id) {
            std::abort();
        }
    }
    if (!same(whole->warnings, halves->warnings)) std::abort();
}

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
void check_against_dom(std::string_view bytes, const std::optional<c::ParseBatch>& batch) {
    if (!batch || bytes.find('\0') != std::string_view::npos) return;
    pugi::xml_document doc;
    if (!doc.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_utf8)) {
        return;
    }
    long roots = 0;
    for (const pugi::xml_node child : doc.children()) roots += child.type() == pugi::node_element;
    if (roots != 1 || std::string_view(doc.document_element().name()) != "jobcenterExport") return;
    const long persons = count_persons(doc.document_element());
    if (persons < 0) return;
    if (static_cast<std::size_t>(persons) != batch->records.size() + batch->problems.size()) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto whole = parse(bytes, size);
    check_against_dom(bytes, whole);
    if (size == 0) return 0;
    // Two splits from the first byte: near the start, and anywhere in proportion.
    check_same(whole, parse(bytes, data[0] % (size + 1)));
    check_same(whole, parse(bytes, size * data[0] / 255));
    return 0;
}
