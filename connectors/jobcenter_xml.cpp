#include "qreg/connectors/jobcenter_xml.hpp"

#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <pugixml.hpp>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

// Design: a byte-at-a-time scanner, resumable at any byte, finds each <person> element and
// keeps only its bytes; pugixml then parses that element alone. The scanner knows just enough
// XML to find element boundaries: quoted attribute values, comments, CDATA, processing
// instructions and declarations may all contain `<` or `>`.
namespace qreg::connectors {

namespace {

constexpr std::string_view root_name = "jobcenterExport";
constexpr std::string_view person_name = "person";
constexpr std::string_view format_namespace = "urn:example:jobcenter-export:1";
// A person is about 1 KiB. The cap bounds memory when markup never closes: an unclosed comment
// would otherwise make the rest of a 2 GB export one element.
constexpr std::size_t max_element_bytes = std::size_t{16} << 20;
constexpr std::size_t max_root_tag_bytes = std::size_t{64} << 10;
constexpr std::size_t max_name_bytes = 64;  // longer names match none we look for
constexpr std::size_t max_declaration_bytes = 512;

bool is_xml_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

class ByteSet {
public:
    constexpr explicit ByteSet(std::string_view bytes) {
        for (const char c : bytes) has_[static_cast<unsigned char>(c)] = true;
    }
    constexpr bool operator()(char c) const { return has_[static_cast<unsigned char>(c)]; }

private:
    std::array<bool, 256> has_{};
};

constexpr ByteSet name_ends(" \t\n\r/>");
constexpr ByteSet tag_marks("\"'/>\n");  // bytes that change the state inside a start tag

std::size_t find_first_of(std::string_view text, std::size_t from, const ByteSet& set) {
    while (from < text.size() && !set(text[from])) ++from;
    return from;
}

std::size_t find_byte(std::string_view text, std::size_t from, char c) {
    const void* found = std::memchr(text.data() + from, c, text.size() - from);
    return found ? static_cast<std::size_t>(static_cast<const char*>(found) - text.data())
                 : text.size();
}

// Eight bytes at a time: the scanner counts every line of a 2 GB export.
std::size_t count_newlines(std::string_view text) {
    constexpr std::uint64_t ones = 0x0101010101010101;
    constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7F;
    std::size_t count = 0;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + i, 8);
        const std::uint64_t x = word ^ (ones * '\n');           // a zero byte where '\n' was
        const std::uint64_t nonzero = ((x & low7) + low7) | x;  // high bit set in non-zero bytes
        // One bit per newline at bit 0 of its byte; the product sums the bytes into the top one.
        count += static_cast<std::size_t>((((~nonzero & ~low7) >> 7) * ones) >> 56);
    }
    for (; i < text.size(); ++i) count += text[i] == '\n' ? 1 : 0;
    return count;
}

std::string_view trim_right(std::string_view text) {
    while (!text.empty() && is_xml_space(text.back())) text.remove_suffix(1);
    return text;
}

// An element name from the file, safe to put in an error message.
std::string printable(std::string_view name) {
    std::string out;
    for (const char c : name) out += c > ' ' && c < 0x7F ? c : '?';
    return out;
}

// `shape`: '9' is a digit, 'A' a capital letter, anything else stands for itself.
bool has_shape(std::string_view text, std::string_view shape) {
    if (text.size() != shape.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const char s = shape[i];
        const bool ok = s == '9' ? c >= '0' && c <= '9' : s == 'A' ? c >= 'A' && c <= 'Z' : c == s;
        if (!ok) return false;
    }
    return true;
}

// Years of schooling or experience: a non-negative decimal with a decimal point.
std::optional<double> parse_years(std::string_view text) {
    double value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::fixed);
    if (ec != std::errc{} || ptr != end || !std::isfinite(value) || value < 0) return std::nullopt;
    return value;
}

std::optional<int> parse_int(std::string_view text) {
    int value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

// What clean_text trims and collapses.
bool is_blank(char c) {
    return is_xml_space(c) || c == '\f';
}

// clean_text without its byte-by-byte copy when the text is clean already, as it mostly is.
std::string clean(std::string_view text) {
    bool is_clean = text.empty() || (!is_blank(text.front()) && !is_blank(text.back()));
    for (std::size_t i = 0; is_clean && i < text.size(); ++i) {
        const char c = text[i];
        // The last byte is no blank, so a space has a successor.
        if (static_cast<unsigned char>(c) <= ' ')
            is_clean = c == ' ' ? text[i + 1] != ' ' : !is_blank(c);
    }
    return is_clean ? std::string(text) : clean_text(text);
}

bool is_text_node(pugi::xml_node node) {
    return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata;
}

// An element's character data and CDATA sections, cleaned.
std::string text_of(pugi::xml_node node) {
    const pugi::xml_node first = node.first_child();
    if (!first) return {};
    if (!first.next_sibling()) return is_text_node(first) ? clean(first.value()) : "";
    std::string text;
    for (const pugi::xml_node child : node.children()) {
        if (is_text_node(child)) text += child.value();
    }
    return clean(text);
}

std::string attribute_of(pugi::xml_node node, const char* name) {
    return clean(node.attribute(name).value());
}

bool is_control(unsigned char b) {
    return b < 0x20 && b != '\t' && b != '\n' && b != '\r';
}

enum class ByteCheck { ok, invalid_utf8, control_character };

constexpr std::uint64_t bytes_of(char c) {
    return std::uint64_t{0x0101010101010101} * static_cast<unsigned char>(c);
}

// For eight ASCII bytes: the high bit of each byte that equals `c`.
constexpr std::uint64_t equal_bytes(std::uint64_t word, char c) {
    return ~((word ^ bytes_of(c)) + bytes_of(0x7F)) & bytes_of('\x80');
}

// Valid UTF-8, and no control character but tab, LF and CR? This runs over every element, so
// it looks at eight ASCII bytes at a time and hands is_valid_utf8 only the runs of bytes
// >= 0x80: a text is valid UTF-8 exactly when each such maximal run is.
ByteCheck check_bytes(std::string_view bytes) {
    constexpr std::uint64_t high = bytes_of('\x80');
    std::size_t i = 0;
    while (i < bytes.size()) {
        if (i + 8 <= bytes.size()) {
            std::uint64_t word = 0;
            std::memcpy(&word, bytes.data() + i, 8);
            if ((word & high) == 0) {
                // Bytes below 0x20 get no high bit from adding 0x60; no carry crosses bytes.
                const std::uint64_t below_space = ~(word + bytes_of(0x60)) & high;
                if (below_space != 0) {
                    const std::uint64_t allowed =
                        equal_bytes(word, '\t') | equal_bytes(word, '\n') | equal_bytes(word, '\r');
                    if ((below_space & ~allowed) != 0) return ByteCheck::control_character;
                }
                i += 8;
                continue;
            }
        }
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80) {
            if (is_control(b)) return ByteCheck::control_character;
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < bytes.size() && static_cast<unsigned char>(bytes[end]) >= 0x80) ++end;
        if (!is_valid_utf8(bytes.substr(i, end - i))) return ByteCheck::invalid_utf8;
        i = end;
    }
    return ByteCheck::ok;
}

// Reads one parsed <person> into a record and its warnings, each warning with the line of its
// node. It fills the SourceRecord in place rather than returning one: a Record has some fifty
// members, and moving it several times per element showed in the profile.
class PersonReader {
public:
    PersonReader(std::string_view raw, std::size_t line, SourceRecord& into)
        : raw_(raw), line_(line), record_(into.record), warnings_(into.warnings) {}

    // Returns why geburt/datum cannot be read, or an empty string.
    std::string read(pugi::xml_node person) {
        Record& r = record_;
        r.source = "jobcenter";
        r.record_id = attribute_of(person, "id");
        read_status(person);

        // One pass over the children; where the model holds one value, the first element wins.
        pugi::xml_node name, birth, sex, address, qualifications;
        pugi::xml_node bg_number, customer_number, azr_number, bamf_file_number;
        const auto keep_first = [](pugi::xml_node& slot, pugi::xml_node node) {
            if (!slot) slot = node;
        };
        for (const pugi::xml_node child : person.children()) {
            const std::string_view tag = child.name();
            if (tag == "name") {
                keep_first(name, child);
            } else if (tag == "geburt") {
                keep_first(birth, child);
            } else if (tag == "geschlecht") {
                keep_first(sex, child);
            } else if (tag == "staatsangehoerigkeit") {
                std::string code = country(child, "staatsangehoerigkeit");
                if (!code.empty()) r.nationalities.push_back(std::move(code));
            } else if (tag == "anschrift") {
                keep_first(address, child);
            } else if (tag == "qualifikationen") {
                keep_first(qualifications, child);
            } else if (tag == "bgNummer") {
                keep_first(bg_number, child);
            } else if (tag == "kundennummer") {
                keep_first(customer_number, child);
            } else if (tag == "azrNummer") {
                keep_first(azr_number, child);
            } else if (tag == "bamfAktenzeichen") {
                keep_first(bamf_file_number, child);
            }
        }

        r.ids.bg_number = identifier(bg_number, "99999BG9999999",
                                     "bgNummer: not a BG number (5 digits, BG, 7 digits)");
        r.ids.ba_customer_number = identifier(
            customer_number, "999A999999",
            "kundennummer: not a BA customer number (3 digits, a capital letter, 6 digits)");
        r.ids.azr_number =
            identifier(azr_number, "999999999999", "azrNummer: not an AZR number (12 digits)");
        r.ids.bamf_file_number =
            identifier(bamf_file_number, "9999999-999",
                       "bamfAktenzeichen: not a BAMF file number (7 digits, -, 3 digits)");

        r.family_name = text_of(name.child("familienname"));
        r.given_names = text_of(name.child("vornamen"));
        r.birth_name = text_of(name.child("geburtsname"));

        std::string date_problem;
        if (auto date = parse_iso_date(text_of(birth.child("datum")))) {
            r.birth_date = std::move(*date);
        } else {
            date_problem =
                "geburt/datum: birth date cannot be read, expected YYYY-MM-DD, YYYY-MM or YYYY";
        }
        r.birthplace = text_of(birth.child("ort"));
        r.birth_country = country(birth.child("land"), "geburt/land");

        if (const std::string code = text_of(sex); !code.empty()) {
            if (const auto mapped = map_sex(code)) {
                r.sex = *mapped;
            } else {
                warn(sex, "geschlecht: unknown code, expected m, w, d or x");
            }
        }
        r.postcode = text_of(address.child("plz"));
        r.town = text_of(address.child("ort"));

        for (const pugi::xml_node node : qualifications.children()) {
            const std::string_view tag = node.name();
            if (tag == "sprache") {
                read_language(node);
            } else if (tag == "ausbildung") {
                read_training(node);
            } else if (tag == "berufserfahrung") {
                read_experience(node);
            } else if (tag == "schule") {
                if (is_first(r.qualifications.school, node)) read_school(node);
            } else if (tag == "studium") {
                if (is_first(r.qualifications.higher_education, node)) read_study(node);
            } else if (tag == "anerkennung") {
                if (is_first(r.qualifications.recognition, node)) read_recognition(node);
            } else if (tag == "integrationskurs") {
                if (is_first(r.qualifications.integration_course, node)) read_course(node);
            }
        }
        return date_problem;
    }

private:
    void warn(pugi::xml_node at, std::string message) {
        warnings_.push_back({line_of(at), std::move(message)});
    }

    std::size_t line_of(pugi::xml_node node) const {
        const std::ptrdiff_t offset = node.offset_debug();
        if (offset < 0 || static_cast<std::size_t>(offset) > raw_.size()) return line_;
        return line_ + count_newlines(raw_.substr(0, static_cast<std::size_t>(offset)));
    }

    // The model holds one; a repeat is dropped, and said so rather than silently.
    template <class T>
    bool is_first(const std::optional<T>& slot, pugi::xml_node node) {
        if (!slot) return true;
        warn(node,
             fmt::format("qualifikationen/{}: repeated; only the first is kept", node.name()));
        return false;
    }

    void read_status(pugi::xml_node person) {
        Record& r = record_;
        const pugi::xml_attribute stand = person.attribute("stand");
        if (!stand) {
            warn(person, "person/@stand: as-of time is missing");
        } else if (auto time = parse_iso_time(stand.value())) {
            r.stand = std::move(*time);
        } else {
            warn(person,
                 "person/@stand: as-of time cannot be read, expected ISO 8601 with a "
                 "zone offset");
        }
        const std::string status = attribute_of(person, "status");
        r.is_retracted = status == "geloescht";
        if (status.empty()) {
            warn(person, "person/@status: missing, expected aktiv or geloescht; read as aktiv");
        } else if (status != "aktiv" && !r.is_retracted) {
            warn(person,
                 "person/@status: unknown status, expected aktiv or geloescht; read as "
                 "aktiv");
        }
    }

    // Kept as written even when malformed: a typo'd number is still evidence for matching.
    std::string identifier(pugi::xml_node node, std::string_view shape, const char* rule) {
        std::string value = text_of(node);
        if (!value.empty() && !has_shape(value, shape)) warn(node, rule);
        return value;
    }

    std::string country(pugi::xml_node node, std::string_view path) {
        std::string code = text_of(node);
        if (!code.empty() && !is_alpha3(code)) {
            warn(node, fmt::format("{}: not an ISO 3166-1 alpha-3 code", path));
        }
        return code;
    }

    std::string country_attribute(pugi::xml_node node, std::string_view path) {
        std::string code = attribute_of(node, "land");
        if (!code.empty() && !is_alpha3(code)) {
            warn(node, fmt::format("{}/@land: not an ISO 3166-1 alpha-3 code", path));
        }
        return code;
    }

    std::string kldb(pugi::xml_node node, const char* attribute, std::string_view path) {
        std::string code = attribute_of(node, attribute);
        if (!code.empty() && !is_kldb(code)) {
            warn(node, fmt::format("{}/@{}: not a KldB 2010 code (five digits)", path, attribute));
        }
        return code;
    }

    std::optional<double> years(pugi::xml_node node, std::string_view path) {
        const std::string text = attribute_of(node, "jahre");
        if (text.empty()) return std::nullopt;
        auto value = parse_years(text);
        if (!value) {
            warn(node, fmt::format("{}/@jahre: not a number of years (digits with a decimal point)",
                                   path));
        }
        return value;
    }

    void read_school(pugi::xml_node node) {
        constexpr std::string_view path = "qualifikationen/schule";
        School& school = record_.qualifications.school.emplace();
        school.original_code = attribute_of(node, "abschluss");
        if (!school.original_code.empty()) {
            school.isced_level = map_isced_school(school.original_code);
            if (!school.isced_level) {
                warn(node, fmt::format("{}/@abschluss: unknown school level, expected ISCED-0 to "
                                       "ISCED-3",
                                       path));
            }
        }
        school.years = years(node, path);
        school.country = country_attribute(node, path);
    }

    void read_training(pugi::xml_node node) {
        constexpr std::string_view path = "qualifikationen/ausbildung";
        VocationalTraining& training = record_.qualifications.trainings.emplace_back();
        training.kldb = kldb(node, "kldb", path);
        training.title = text_of(node);
        training.original_status = attribute_of(node, "status");
        if (!training.original_status.empty()) {
            if (auto status = map_training_status(training.original_status)) {
                training.status = std::move(*status);
            } else {
                warn(node, fmt::format("{}/@status: unknown training status, expected "
                                       "abgeschlossen, abgebrochen, ohne_nachweis or laufend",
                                       path));
            }
        }
        training.country = country_attribute(node, path);
    }

    void read_study(pugi::xml_node node) {
        constexpr std::string_view path = "qualifikationen/studium";
        HigherEducation& study = record_.qualifications.higher_education.emplace();
        study.original_code = attribute_of(node, "isced");
        if (!study.original_code.empty()) {
            study.isced_level = parse_int(study.original_code);
            if (!study.isced_level || *study.isced_level < 0 || *study.isced_level > 8) {
                study.isced_level.reset();
                warn(node, fmt::format("{}/@isced: not an ISCED 2011 level (0 to 8)", path));
            }
        }
        study.field = attribute_of(node, "fach");
        const std::string completed = attribute_of(node, "abgeschlossen");
        if (completed == "true" || completed == "1") {
            study.completed = true;
        } else if (completed == "false" || completed == "0") {
            study.completed = false;
        } else if (!completed.empty()) {
            warn(node, fmt::format("{}/@abgeschlossen: expected true or false", path));
        }
        study.country = country_attribute(node, path);
    }

    void read_experience(pugi::xml_node node) {
        constexpr std::string_view path = "qualifikationen/berufserfahrung";
        WorkExperience& experience = record_.qualifications.experience.emplace_back();
        experience.kldb = kldb(node, "kldb", path);
        experience.title = text_of(node);
        experience.years = years(node, path);
    }

    void read_language(pugi::xml_node node) {
        constexpr std::string_view path = "qualifikationen/sprache";
        std::vector<Language>& languages = record_.qualifications.languages;
        if (languages.empty()) languages.reserve(4);  // most persons list two to four
        Language& language = languages.emplace_back();
        language.code = attribute_of(node, "code");
        if (!language.code.empty() && !is_language_code(language.code)) {
            warn(node,
                 fmt::format("{}/@code: not an ISO 639-1 code (two lower-case letters)", path));
        }
        language.original_level = attribute_of(node, "niveau");
        if (!language.original_level.empty()) {
            if (auto level = map_language_level(language.original_level)) {
                language.level = std::move(*level);
            } else {
                warn(node, fmt::format("{}/@niveau: unknown language level, expected A1 to C2 or "
                                       "muttersprache",
                                       path));
            }
        }
        language.certificate = attribute_of(node, "nachweis");
    }

    void read_recognition(pugi::xml_node node) {
        constexpr std::string_view path = "qualifikationen/anerkennung";
        Recognition& recognition = record_.qualifications.recognition.emplace();
        recognition.reference_occupation = kldb(node, "referenzberuf", path);
        recognition.original_status = attribute_of(node, "status");
        if (!recognition.original_status.empty()) {
            if (auto status = map_recognition_status(recognition.original_status)) {
                recognition.status = std::move(*status);
            } else {
                warn(node, fmt::format("{}/@status: unknown recognition status, expected "
                                       "beantragt, gleichwertig, teilweise_gleichwertig or "
                                       "nicht_gleichwertig",
                                       path));
            }
        }
        std::string date = attribute_of(node, "datum");
        if (!date.empty()) {
            const auto parsed = parse_iso_date(date);
            if (parsed && parsed->precision == DatePrecision::day) {
                recognition.date = std::move(date);
            } else {
                warn(node,
                     fmt::format("{}/@datum: date cannot be read, expected YYYY-MM-DD", path));
            }
        }
    }

    void read_course(pugi::xml_node node) {
        constexpr std::string_view path = "qualifikationen/integrationskurs";
        IntegrationCourse& course = record_.qualifications.integration_course.emplace();
        course.status = attribute_of(node, "status");
        course.result = attribute_of(node, "ergebnis");
        if (!course.result.empty()) {
            const auto level = map_language_level(course.result);
            if (!level || *level == "native") {
                warn(node, fmt::format("{}/@ergebnis: not a CEFR level, expected A1 to C2", path));
            }
        }
    }

    std::string_view raw_;
    std::size_t line_;
    Record& record_;
    std::vector<Warning>& warnings_;
};

class JobcenterXmlParser final : public RecordParser {
public:
    explicit JobcenterXmlParser(std::string file_name) : file_(std::move(file_name)) {}

    ParseBatch feed(std::string_view chunk) override {
        if (is_finished_) throw Error{ErrorCode::internal, file_ + ": feed after finish"};
        ParseBatch out;
        // Growing the vector moves every record; the size of earlier elements says how many
        // this chunk will likely complete.
        if (elements_read_ > 0) {
            out.records.reserve(chunk.size() / (element_bytes_read_ / elements_read_ + 1));
        }
        chunk_ = chunk;
        segment_ = 0;
        scan(out);
        flush(chunk.size());
        consumed_ += chunk.size();
        chunk_ = {};
        return out;
    }

    ParseBatch finish() override {
        if (is_finished_) return {};
        is_finished_ = true;
        ParseBatch out;
        switch (phase_) {
            case Phase::before_root:
                if (lex_ == Lex::start_body) {  // the root name was read and is right
                    out.warnings.push_back(
                        {line_,
                         "the file ends inside the jobcenterExport start tag; it is "
                         "truncated"});
                    break;
                }
                throw Error{ErrorCode::invalid_input,
                            fmt::format("{}: no jobcenterExport root element; is this a "
                                        "jobcenter-xml-v1 export?",
                                        file_)};
            case Phase::in_root:
                out.warnings.push_back(
                    {line_, "the file ends before </jobcenterExport>; it is truncated"});
                break;
            case Phase::in_person:
                unfinished_element(
                    element_, "person element: the file ends before </person>; it is truncated",
                    out);
                break;
            case Phase::after_root: break;
        }
        return out;
    }

private:
    enum class Phase { before_root, in_root, in_person, after_root };
    // Where the scanner is inside the markup.
    enum class Lex {
        text,
        lt,           // after `<`
        bang,         // after `<!`, deciding between comment, CDATA and declaration
        comment,      // <!-- ... -->
        cdata,        // <![CDATA[ ... ]]>
        pi,           // <? ... ?>
        declaration,  // <!DOCTYPE ...>, possibly with [ internal subset ]
        start_name,
        start_body,  // attributes of a start tag
        end_name,
        end_body,
    };

    void scan(ParseBatch& out) {
        const std::string_view chunk = chunk_;
        std::size_t i = 0;
        while (i < chunk.size()) {
            // Fast paths skip the bytes that cannot change the state; `step` sees the rest.
            std::size_t stop = i;
            switch (lex_) {
                case Lex::text:
                    if (phase_ == Phase::in_person) {
                        stop = skip_inner_tags(chunk, i);
                    } else if (phase_ == Phase::in_root) {
                        stop = find_byte(chunk, i, '<');
                        line_ += count_newlines(chunk.substr(i, stop - i));
                    }
                    break;
                case Lex::start_name:
                case Lex::end_name:
                    stop = find_first_of(chunk, i, name_ends);
                    add_name_bytes(chunk.substr(i, stop - i));
                    break;
                case Lex::start_body:
                    if (phase_ == Phase::before_root) break;  // the root tag is kept byte by byte
                    if (quote_ != 0) {
                        stop = find_byte(chunk, i, quote_);
                        line_ += count_newlines(chunk.substr(i, stop - i));
                    } else {
                        stop = find_first_of(chunk, i, tag_marks);
                        if (stop > i) run_ = 0;
                    }
                    break;
                default: break;
            }
            i = stop;
            if (i == chunk.size()) break;
            const char c = chunk[i];
            if (!step(c, i, out)) continue;  // the byte ended a name: look at it again
            if (c == '\n') ++line_;
            ++i;
        }
    }

    // Most of a person is start and end tags of its children. This skips, from character data
    // at chunk index `i`, every such tag that lies wholly in the chunk and cannot end the
    // person; it returns where `step` must go on: at a `<` it has to see, or the chunk's end.
    // It treats each tag exactly as `step` would, so chunk boundaries cannot change a result.
    std::size_t skip_inner_tags(std::string_view chunk, std::size_t i) {
        const std::size_t from = i;
        const auto stop_at = [&](std::size_t at) {
            line_ += count_newlines(chunk.substr(from, at - from));
            return at;
        };
        while (true) {
            const std::size_t lt = find_byte(chunk, i, '<');
            if (lt + 1 >= chunk.size()) return stop_at(lt);
            const bool is_end_tag = chunk[lt + 1] == '/';
            if (chunk[lt + 1] == '!' || chunk[lt + 1] == '?') return stop_at(lt);
            const std::size_t name_at = is_end_tag ? lt + 2 : lt + 1;
            const std::size_t name_end = find_first_of(chunk, name_at, name_ends);
            const std::string_view name = chunk.substr(name_at, name_end - name_at);
            if (name_end == chunk.size() || name == person_name || name == root_name) {
                return stop_at(lt);
            }
            std::size_t close = name_end;
            if (is_end_tag) {
                close = find_byte(chunk, name_end, '>');
            } else {
                char quote = 0;
                for (; close < chunk.size(); ++close) {
                    const char c = chunk[close];
                    if (quote != 0) {
                        if (c == quote) quote = 0;
                    } else if (c == '"' || c == '\'') {
                        quote = c;
                    } else if (c == '>') {
                        break;
                    }
                }
            }
            if (close == chunk.size()) return stop_at(lt);
            i = close + 1;
        }
    }

    // Handles byte `c` at chunk index `i`; false when the byte must be handled again in the
    // state it moved to.
    bool step(char c, std::size_t i, ParseBatch& out) {
        switch (lex_) {
            case Lex::text: text(c, i, out); return true;
            case Lex::lt:
                if (c == '!') {
                    lex_ = Lex::bang;
                    bang_.clear();
                } else if (c == '?') {
                    lex_ = Lex::pi;
                    run_ = 0;
                    declaration_.clear();
                } else if (c == '/') {
                    lex_ = Lex::end_name;
                    name_.clear();
                } else {
                    lex_ = Lex::start_name;
                    name_.clear();
                    return false;
                }
                return true;
            case Lex::bang: return bang(c, out);
            case Lex::comment:
                if (c == '>' && run_ >= 2) {
                    lex_ = resume_;
                    resume_ = Lex::text;
                } else {
                    run_ = c == '-' ? std::min(run_ + 1, 2) : 0;
                }
                return true;
            case Lex::cdata:
                if (c == '>' && run_ >= 2) {
                    lex_ = Lex::text;
                } else {
                    run_ = c == ']' ? std::min(run_ + 1, 2) : 0;
                }
                return true;
            case Lex::pi:
                if (phase_ == Phase::before_root && declaration_.size() < max_declaration_bytes) {
                    declaration_ += c;
                }
                if (c == '>' && run_ == 1) {
                    lex_ = resume_;
                    resume_ = Lex::text;
                    if (phase_ == Phase::before_root) check_declaration(out);
                } else {
                    run_ = c == '?' ? 1 : 0;
                }
                return true;
            case Lex::declaration: declaration(c); return true;
            case Lex::start_name:
                if (is_xml_space(c) || c == '/' || c == '>') {
                    lex_ = Lex::start_body;
                    quote_ = 0;
                    run_ = 0;
                    start_name_read(i, out);
                    return false;
                }
                add_name_bytes(std::string_view(&c, 1));
                return true;
            case Lex::start_body: start_body(c, i, out); return true;
            case Lex::end_name:
                if (is_xml_space(c) || c == '>') {
                    lex_ = Lex::end_body;
                    end_name_read(i, out);
                    return false;
                }
                add_name_bytes(std::string_view(&c, 1));
                return true;
            case Lex::end_body:
                if (c == '>') {
                    lex_ = Lex::text;
                    if (phase_ == Phase::in_person && name_ == person_name) {
                        flush(i + 1);
                        complete_element(out);
                    }
                }
                return true;
        }
        return true;
    }

    void text(char c, std::size_t i, ParseBatch& out) {
        if (phase_ == Phase::before_root) {
            // A UTF-8 byte order mark may open the file.
            static constexpr std::string_view bom = "\xEF\xBB\xBF";
            const std::size_t at = consumed_ + i;
            if (at < bom.size() && bom_bytes_ == at && c == bom[at]) {
                ++bom_bytes_;
                return;
            }
            if ((bom_bytes_ > 0 && bom_bytes_ < bom.size()) || (c != '<' && !is_xml_space(c))) {
                throw not_an_export("text before the root element");
            }
        } else if (phase_ == Phase::after_root && c != '<' && !is_xml_space(c)) {
            content_after_root(out);
        }
        if (c == '<') {
            lex_ = Lex::lt;
            tag_line_ = line_;
            if (phase_ == Phase::in_person) lt_at_ = element_length_at(i);
        }
    }

    bool bang(char c, ParseBatch& out) {
        static constexpr std::string_view comment_open = "--";
        static constexpr std::string_view cdata_open = "[CDATA[";
        bang_ += c;
        if (bang_ == comment_open) {
            lex_ = Lex::comment;
            run_ = 0;
        } else if (bang_ == cdata_open) {
            lex_ = Lex::cdata;
            run_ = 0;
            if (phase_ == Phase::before_root) throw not_an_export("CDATA before the root element");
            if (phase_ == Phase::after_root) content_after_root(out);
        } else if (!comment_open.starts_with(bang_) && !cdata_open.starts_with(bang_)) {
            // <!DOCTYPE ...> or anything else: skipped up to its `>`.
            lex_ = Lex::declaration;
            quote_ = 0;
            subset_markup_ = 0;
            brackets_ = bang_.front() == '[' && bang_.size() > 1 ? 1 : 0;
            if (phase_ == Phase::after_root) content_after_root(out);
            return false;
        }
        return true;
    }

    void declaration(char c) {
        // Comments and PIs in a DOCTYPE's internal subset may hold quotes and brackets.
        if (subset_markup_ > 0) {
            const int seen = subset_markup_;
            subset_markup_ = 0;
            if (seen == 1 && c == '?') {
                lex_ = Lex::pi;
                resume_ = Lex::declaration;
                run_ = 0;
                declaration_.clear();
                return;
            }
            if ((seen == 1 && c == '!') || (seen == 2 && c == '-')) {
                subset_markup_ = seen + 1;
                return;
            }
            if (seen == 3 && c == '-') {
                lex_ = Lex::comment;
                resume_ = Lex::declaration;
                run_ = 0;
                return;
            }
        }
        if (quote_ != 0) {
            if (c == quote_) quote_ = 0;
        } else if (c == '"' || c == '\'') {
            quote_ = c;
        } else if (c == '<' && brackets_ > 0) {
            subset_markup_ = 1;
        } else if (c == '[') {
            ++brackets_;
        } else if (c == ']') {
            if (brackets_ > 0) --brackets_;
        } else if (c == '>' && brackets_ == 0) {
            lex_ = Lex::text;
        }
    }

    void add_name_bytes(std::string_view bytes) {
        // One byte more than any name we look for is enough to tell it apart.
        const std::size_t room = max_name_bytes + 1 - std::min(max_name_bytes + 1, name_.size());
        name_.append(bytes.substr(0, std::min(room, bytes.size())));
    }

    void start_name_read(std::size_t i, ParseBatch& out) {
        switch (phase_) {
            case Phase::before_root:
                if (name_ != root_name) {
                    throw Error{
                        ErrorCode::invalid_input,
                        fmt::format("{} line {}: root element is {}, expected {}; is this a "
                                    "jobcenter-xml-v1 export?",
                                    file_, tag_line_, name_.empty() ? "unnamed" : printable(name_),
                                    root_name)};
                }
                root_tag_ = "<";
                root_tag_ += name_;
                break;
            case Phase::in_root:
                if (name_ == person_name) start_element(i);
                break;
            case Phase::in_person:
                if (name_ == person_name) {
                    // Persons do not nest: the open one lacks its end tag.
                    cut_element("person element: a new <person> starts before </person>", i, out);
                    start_element(i);
                }
                break;
            case Phase::after_root: content_after_root(out); break;
        }
    }

    void start_body(char c, std::size_t i, ParseBatch& out) {
        if (phase_ == Phase::before_root) {
            if (root_tag_.size() >= max_root_tag_bytes) {
                throw not_an_export("the jobcenterExport start tag is longer than 64 KiB");
            }
            root_tag_ += c;
        }
        if (quote_ != 0) {
            if (c == quote_) quote_ = 0;
            return;
        }
        if (c == '"' || c == '\'') {
            quote_ = c;
            run_ = 0;
        } else if (c == '/') {
            run_ = 1;
        } else if (c == '>') {
            lex_ = Lex::text;
            start_tag_read(run_ == 1, i, out);
        } else {
            run_ = 0;
        }
    }

    void start_tag_read(bool is_self_closing, std::size_t i, ParseBatch& out) {
        if (phase_ == Phase::before_root) {
            read_root_tag(is_self_closing, out);
            phase_ = is_self_closing ? Phase::after_root : Phase::in_root;
        } else if (phase_ == Phase::in_person && start_tag_end_ == 0) {
            // The first tag to end inside a person is its own start tag.
            start_tag_end_ = element_length_at(i + 1);
            if (is_self_closing) {
                flush(i + 1);
                complete_element(out);
            }
        }
    }

    void end_name_read(std::size_t i, ParseBatch& out) {
        switch (phase_) {
            case Phase::before_root: throw not_an_export("end tag before the root element");
            case Phase::in_root:
                if (name_ == root_name) phase_ = Phase::after_root;
                break;
            case Phase::in_person:
                if (name_ == root_name) {
                    cut_element("person element: </jobcenterExport> comes before </person>", i,
                                out);
                    phase_ = Phase::after_root;
                }
                break;
            case Phase::after_root: content_after_root(out); break;
        }
    }

    void check_declaration(ParseBatch& out) {
        // `declaration_` holds what follows `<?`: `xml version="1.0" encoding="UTF-8"?>`.
        const std::string_view text = declaration_;
        if (!text.starts_with("xml") || text.size() < 4 || !is_xml_space(text[3])) return;
        const auto at = text.find("encoding");
        if (at == std::string_view::npos) return;
        auto rest = text.substr(at + 8);
        const auto open = rest.find_first_of("\"'");
        if (open == std::string_view::npos) return;
        rest = rest.substr(open + 1);
        std::string encoding(rest.substr(0, rest.find_first_of("\"'")));
        std::transform(encoding.begin(), encoding.end(), encoding.begin(), [](char ch) {
            return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 32) : ch;
        });
        if (encoding != "UTF-8" && encoding != "UTF8" && encoding != "US-ASCII") {
            out.warnings.push_back({tag_line_,
                                    "the XML declaration names an encoding other than UTF-8; "
                                    "jobcenter-xml-v1 is read as UTF-8"});
        }
    }

    void read_root_tag(bool is_self_closing, ParseBatch& out) {
        std::string tag = root_tag_;
        if (!is_self_closing) {
            tag.back() = '/';
            tag += '>';
        }
        const pugi::xml_parse_result parsed =
            doc_.load_buffer(tag.data(), tag.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!parsed) {
            out.warnings.push_back(
                {tag_line_, fmt::format("jobcenterExport start tag: malformed XML ({})",
                                        parsed.description())});
            return;
        }
        const pugi::xml_node root = doc_.document_element();
        const pugi::xml_attribute created = root.attribute("erstellt");
        if (created && !parse_iso_time(created.value())) {
            out.warnings.push_back({tag_line_,
                                    "jobcenterExport/@erstellt: creation time cannot "
                                    "be read, expected ISO 8601 with a zone offset"});
        }
        const pugi::xml_attribute ns = root.attribute("xmlns");
        if (ns && ns.value() != format_namespace) {
            out.warnings.push_back(
                {tag_line_, fmt::format("jobcenterExport/@xmlns: namespace is not {}; read as "
                                        "jobcenter-xml-v1",
                                        format_namespace)});
        }
    }

    void content_after_root(ParseBatch& out) {
        if (has_content_after_root_) return;
        has_content_after_root_ = true;
        out.warnings.push_back(
            {line_, "content after </jobcenterExport> is ignored; only one export per file"});
    }

    Error not_an_export(std::string_view what) const {
        return Error{
            ErrorCode::invalid_input,
            fmt::format("{} line {}: {}; is this a jobcenter-xml-v1 export?", file_, line_, what)};
    }

    // The element being read: its bytes up to chunk index `segment_` are in `element_`.

    std::size_t element_length_at(std::size_t i) const { return element_bytes_ + (i - segment_); }

    void flush(std::size_t upto) {
        if (phase_ == Phase::in_person && upto > segment_) {
            const std::string_view bytes = chunk_.substr(segment_, upto - segment_);
            const std::size_t room =
                max_element_bytes - std::min(max_element_bytes, element_.size());
            element_.append(bytes.substr(0, std::min(room, bytes.size())));
            element_bytes_ += bytes.size();
            if (element_bytes_ > max_element_bytes) is_oversized_ = true;
        }
        segment_ = upto;
    }

    // `<person` has just been read; chunk index `i` is the byte after the name.
    void start_element(std::size_t i) {
        phase_ = Phase::in_person;
        element_ = "<";
        element_ += person_name;
        element_bytes_ = element_.size();
        element_line_ = tag_line_;
        start_tag_end_ = 0;
        is_oversized_ = false;
        segment_ = i;
    }

    // Ends the open element just before the `<` of the current tag.
    void cut_element(std::string_view reason, std::size_t i, ParseBatch& out) {
        flush(i);
        const std::string_view raw =
            trim_right(std::string_view(element_).substr(0, std::min(lt_at_, element_.size())));
        unfinished_element(raw, reason, out);
        phase_ = Phase::in_root;
    }

    void unfinished_element(std::string_view raw, std::string_view reason, ParseBatch& out) {
        out.problems.push_back(
            {file_, element_line_, std::string(reason), std::string(raw), readable_id(raw)});
    }

    void complete_element(ParseBatch& out) {
        phase_ = Phase::in_root;
        ++elements_read_;
        element_bytes_read_ += element_bytes_;
        if (is_oversized_) {
            unfinished_element(
                element_, "person element: longer than 16 MiB; raw holds its first 16 MiB", out);
            return;
        }
        parse_element(out);
    }

    // Parses the complete element in `element_`, which it uses up.
    void parse_element(ParseBatch& out) {
        std::string raw = element_;  // the exact bytes: pugixml parses `element_` in place
        const auto problem = [&](std::string reason, std::string record_id) {
            out.problems.push_back(
                {file_, element_line_, std::move(reason), std::move(raw), std::move(record_id)});
        };
        switch (check_bytes(raw)) {
            case ByteCheck::ok: break;
            case ByteCheck::invalid_utf8:
                problem(fmt::format("person element: not valid UTF-8 (first on line {}); "
                                    "jobcenter-xml-v1 is UTF-8",
                                    line_of_invalid_utf8(raw)),
                        readable_id(raw));
                return;
            case ByteCheck::control_character:
                problem(
                    "person element: malformed XML (a control character other than tab, LF "
                    "or CR)",
                    readable_id(raw));
                return;
        }
        // Without parse_eol and parse_wconv_attribute: `clean` treats CR, LF and tab as blanks.
        const pugi::xml_parse_result parsed =
            doc_.load_buffer_inplace(element_.data(), element_.size(),
                                     pugi::parse_cdata | pugi::parse_escapes, pugi::encoding_utf8);
        if (!parsed) {
            const auto offset =
                static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0));
            const std::size_t line = element_line_ + count_newlines(std::string_view(raw).substr(
                                                         0, std::min(offset, raw.size())));
            problem(fmt::format("person element: malformed XML ({}) on line {}",
                                parsed.description(), line),
                    readable_id(raw));
            return;
        }
        SourceRecord& landed = out.records.emplace_back();
        const std::string date_problem =
            PersonReader(raw, element_line_, landed).read(doc_.document_element());
        const Record& record = landed.record;
        std::optional<std::string> reason;
        if (record.record_id.empty()) {
            reason = "person/@id: record id is missing or empty";
        } else if (record.is_retracted) {
            // A retraction names the record it retracts; the fields it retracts may be gone.
            if (!date_problem.empty()) landed.warnings.push_back({element_line_, date_problem});
        } else if (const auto rejected = reject_reason(record)) {
            reason = fmt::format("name: {}", *rejected);
        } else if (!date_problem.empty()) {
            reason = date_problem;
        }
        if (reason) {
            std::string record_id = record.record_id;
            out.records.pop_back();
            problem(std::move(*reason), std::move(record_id));
            return;
        }
        landed.raw = std::move(raw);
        landed.line = element_line_;
    }

    std::size_t line_of_invalid_utf8(std::string_view raw) const {
        std::size_t line = element_line_;
        while (!raw.empty()) {
            const std::size_t end = std::min(raw.find('\n'), raw.size());
            if (!is_valid_utf8(raw.substr(0, end))) return line;
            raw.remove_prefix(std::min(end + 1, raw.size()));
            ++line;
        }
        return element_line_;
    }

    // The record id from the element's start tag, when that much is readable; for problems.
    std::string readable_id(std::string_view raw) {
        if (start_tag_end_ == 0 || start_tag_end_ > raw.size()) return {};
        std::string tag(raw.substr(0, start_tag_end_));
        if (!tag.ends_with("/>")) {
            tag.back() = '/';
            tag += '>';
        }
        const pugi::xml_parse_result parsed =
            doc_.load_buffer(tag.data(), tag.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!parsed) return {};
        std::string id = attribute_of(doc_.document_element(), "id");
        if (check_bytes(id) != ByteCheck::ok) return {};
        return id;
    }

    std::string file_;
    bool is_finished_ = false;
    Phase phase_ = Phase::before_root;
    Lex lex_ = Lex::text;
    std::size_t line_ = 1;
    std::size_t consumed_ = 0;   // bytes fed before the current chunk
    std::size_t bom_bytes_ = 0;  // of a byte order mark at the start
    bool has_content_after_root_ = false;

    // The markup being read.
    std::size_t tag_line_ = 1;
    std::string name_;
    char quote_ = 0;
    int run_ = 0;       // closing characters seen: `-` in comments, `]` in CDATA, `?`, `/` in tags
    int brackets_ = 0;  // open `[` in a declaration
    int subset_markup_ = 0;    // bytes of `<!--` or `<?` seen in a DOCTYPE's internal subset
    Lex resume_ = Lex::text;   // where a comment or PI returns to
    std::string bang_;         // after `<!`, until it is known what follows
    std::string declaration_;  // processing instructions before the root
    std::string root_tag_;

    // The person element being read.
    std::string_view chunk_;
    std::size_t segment_ = 0;  // chunk bytes before this index are in element_
    std::string element_;
    std::size_t element_bytes_ = 0;  // its length, including bytes beyond the cap
    std::size_t element_line_ = 0;
    std::size_t lt_at_ = 0;          // its length before the `<` of the current tag
    std::size_t start_tag_end_ = 0;  // its length after its start tag; 0 while unread
    bool is_oversized_ = false;
    std::size_t elements_read_ = 0;       // complete elements so far
    std::size_t element_bytes_read_ = 0;  // and their bytes

    pugi::xml_document doc_;
};

}  // namespace

std::unique_ptr<RecordParser> make_jobcenter_xml_parser(std::string file_name) {
    return std::make_unique<JobcenterXmlParser>(std::move(file_name));
}

}  // namespace qreg::connectors
