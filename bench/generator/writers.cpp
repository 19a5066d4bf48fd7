#include "writers.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "calendar.hpp"
#include "text.hpp"

namespace qreg::gen {
namespace {

constexpr std::size_t io_buffer_bytes = 1 << 20;

void put2(std::string& out, int v) {
    out.push_back(static_cast<char>('0' + v / 10 % 10));
    out.push_back(static_cast<char>('0' + v % 10));
}

void put4(std::string& out, int v) {
    put2(out, v / 100);
    put2(out, v % 100);
}

void put_int(std::string& out, long long v) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

// One decimal, with the given separator: 4.5 / 4,5.
void put_decimal(std::string& out, double v, char separator) {
    const auto tenths = static_cast<long long>(std::llround(v * 10.0));
    put_int(out, tenths / 10);
    out.push_back(separator);
    out.push_back(static_cast<char>('0' + tenths % 10));
}

std::string_view cefr(int level) {
    static constexpr std::string_view levels[] = {"", "A1", "A2", "B1", "B2", "C1", "C2"};
    return levels[level];
}

std::string_view isced_of_study(char study) {
    return study == 'M' ? "7" : study == 'P' ? "8" : "6";
}

// German local time as "TT.MM.JJJJ HH:MM:SS".
void put_ba_time(std::string& out, std::int64_t utc) {
    const auto t = from_unix(utc + berlin_offset(utc));
    put2(out, t.day);
    out.push_back('.');
    put2(out, t.month);
    out.push_back('.');
    put4(out, t.year);
    out.push_back(' ');
    put2(out, t.hour);
    out.push_back(':');
    put2(out, t.minute);
    out.push_back(':');
    put2(out, t.second);
}

// ISO 8601; German local time with offset, or UTC with Z.
void put_iso_time(std::string& out, std::int64_t utc, bool local) {
    const int offset = local ? berlin_offset(utc) : 0;
    const auto t = from_unix(utc + offset);
    put4(out, t.year);
    out.push_back('-');
    put2(out, t.month);
    out.push_back('-');
    put2(out, t.day);
    out.push_back('T');
    put2(out, t.hour);
    out.push_back(':');
    put2(out, t.minute);
    out.push_back(':');
    put2(out, t.second);
    if (local) {
        out += offset == 7200 ? "+02:00" : "+01:00";
    } else {
        out.push_back('Z');
    }
}

void put_iso_day(std::string& out, std::int64_t days) {
    const Date d = civil_from_days(days);
    put4(out, d.year);
    out.push_back('-');
    put2(out, d.month);
    out.push_back('-');
    put2(out, d.day);
}

// One BA field: quoted when it holds ';', '"' or a line break, then re-encoded.
void put_ba(std::string& out, std::string_view value, bool cp1252) {
    if (value.find_first_of(";\"\r\n") == std::string_view::npos) {
        append_ba_text(out, value, cp1252);
        return;
    }
    std::string quoted;
    append_csv_field(quoted, value);
    append_ba_text(out, quoted, cp1252);
}

void put_xml_element(std::string& out, std::string_view name, std::string_view text) {
    out.push_back('<');
    out += name;
    out.push_back('>');
    append_xml_text(out, text);
    out += "</";
    out += name;
    out.push_back('>');
}

void put_attr(std::string& out, std::string_view name, std::string_view value) {
    out.push_back(' ');
    out += name;
    out += "=\"";
    append_xml_attribute(out, value);
    out.push_back('"');
}

void put_json_key(std::string& out, std::string_view key) {
    out.push_back('"');
    out += key;
    out += "\": ";
}

// Given names as a JSON list; elements are separated by '\x1F' (see records.cpp).
void put_json_names(std::string& out, std::string_view given) {
    out.push_back('[');
    bool first = true;
    std::size_t start = 0;
    while (start < given.size()) {
        auto end = given.find('\x1F', start);
        if (end == std::string_view::npos) end = given.size();
        if (end > start) {
            if (!first) out += ", ";
            append_json_string(out, given.substr(start, end - start));
            first = false;
        }
        start = end + 1;
    }
    out.push_back(']');
}

void put_json_int_or_null(std::string& out, int v) {
    if (v == 0) {
        out += "null";
    } else {
        put_int(out, v);
    }
}

}  // namespace

OutputFile::OutputFile(std::filesystem::path path, std::size_t window, std::uint64_t seed)
    : path_(std::move(path)), capacity_(window), rng_(seed) {
    file_.reset(std::fopen(path_.c_str(), "wb"));
    if (!file_) {
        throw std::runtime_error("cannot open " + path_.string() + ": " + std::strerror(errno));
    }
    std::setvbuf(file_.get(), nullptr, _IOFBF, io_buffer_bytes);
    window_.reserve(capacity_);
}

void OutputFile::write_direct(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) {
        throw std::runtime_error("cannot write " + path_.string() + ": " + std::strerror(errno));
    }
}

void OutputFile::push(std::string& row) {
    if (capacity_ <= 1) {
        write_direct(row);
        row.clear();
        return;
    }
    if (window_.size() < capacity_) {
        window_.push_back(std::move(row));
        row = std::string();
        return;
    }
    std::string& slot = window_[rng_.below(static_cast<std::uint32_t>(capacity_))];
    write_direct(slot);
    std::swap(slot, row);
    row.clear();
}

void OutputFile::finish(std::string_view trailer) {
    // Fisher-Yates over the remainder, then write.
    for (std::size_t i = window_.size(); i > 1; --i) {
        std::swap(window_[i - 1], window_[rng_.below(static_cast<std::uint32_t>(i))]);
    }
    for (const auto& row : window_) write_direct(row);
    window_.clear();
    write_direct(trailer);
    std::FILE* f = file_.release();
    if (std::fclose(f) != 0) {
        throw std::runtime_error("cannot close " + path_.string() + ": " + std::strerror(errno));
    }
}

void append_ba_header(std::string& out, bool cp1252) {
    if (!cp1252) out += "\xEF\xBB\xBF";
    out +=
        "KDNR;NACHNAME;VORNAME;GEBURTSNAME;GEBDAT;GEBORT;GESCHLECHT;STAATSANG;AZR_NR;BAMF_AZ;"
        "PLZ;WOHNORT;SCHULABSCHLUSS;SCHULJAHRE;AUSBILDUNG_KLDB;AUSBILDUNG_TXT;AUSBILDUNG_STATUS;"
        "STUDIUM;STUDIENFACH;ERFAHRUNG_KLDB;ERFAHRUNG_JAHRE;ZIELBERUF_KLDB;DEUTSCH;SPRACHEN;"
        "ANERKENNUNG;STAND;LOESCHUNG\r\n";
}

void append_ba_row(std::string& out, const Record& r, bool cp1252) {
    const Qualifications& q = r.qual;
    out += r.id;
    out.push_back(';');
    put_ba(out, r.family, cp1252);
    out.push_back(';');
    put_ba(out, r.given, cp1252);
    out.push_back(';');
    put_ba(out, r.birth_name, cp1252);
    out.push_back(';');
    put2(out, r.birth.day);
    out.push_back('.');
    put2(out, r.birth.month);
    out.push_back('.');
    put4(out, r.birth.year);
    out.push_back(';');
    put_ba(out, r.birth_place, cp1252);
    out.push_back(';');
    out.push_back(r.sex);
    out.push_back(';');
    out += r.nationality[0];
    out.push_back(';');
    out += r.azr;
    out.push_back(';');
    out += r.bamf_az;
    out.push_back(';');
    out += r.postcode;
    out.push_back(';');
    put_ba(out, r.town, cp1252);
    out.push_back(';');
    out += r.ba_school;
    out.push_back(';');
    if (q.school_years >= 0) put_int(out, q.school_years);
    out.push_back(';');
    if (q.training != nullptr) {
        out += q.training->kldb;
        out.push_back(';');
        put_ba(out, r.training_text, cp1252);
        out.push_back(';');
        out += q.training_status;
    } else {
        out += ";;";
    }
    out.push_back(';');
    if (q.study != 0) out.push_back(q.study);
    out.push_back(';');
    put_ba(out, r.study_field, cp1252);
    out.push_back(';');
    if (q.experience != nullptr) {
        out += q.experience->kldb;
        out.push_back(';');
        put_decimal(out, q.experience_years, ',');
    } else {
        out.push_back(';');
    }
    out.push_back(';');
    if (q.target != nullptr) out += q.target->kldb;
    out.push_back(';');
    out += cefr(q.german);
    out.push_back(';');
    for (int i = 0; i < q.language_count; ++i) {
        const Language& l = q.languages[static_cast<std::size_t>(i)];
        if (i > 0) out.push_back('|');
        out += l.code;
        out.push_back(':');
        out += l.level == 0 ? std::string_view{"M"} : cefr(l.level);
    }
    out.push_back(';');
    out += q.recognition;
    out.push_back(';');
    put_ba_time(out, r.stand);
    out.push_back(';');
    if (r.retracted) out.push_back('J');
    out += "\r\n";
}

void append_jobcenter_header(std::string& out, std::string_view office, std::int64_t created) {
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<jobcenterExport xmlns=\"urn:example:jobcenter-export:1\"";
    put_attr(out, "dienststelle", office);
    out += " erstellt=\"";
    put_iso_time(out, created, true);
    out += "\">\n";
}

void append_jobcenter_person(std::string& out, const Record& r) {
    const Qualifications& q = r.qual;
    out += "  <person";
    put_attr(out, "id", r.id);
    out += " stand=\"";
    put_iso_time(out, r.stand, true);
    out += "\" status=\"";
    out += r.retracted ? "geloescht" : "aktiv";
    out += "\">\n    ";
    put_xml_element(out, "bgNummer", r.bg);
    out += "\n";
    if (!r.kdnr.empty()) {
        out += "    ";
        put_xml_element(out, "kundennummer", r.kdnr);
        out += "\n";
    }
    out += "    <name>";
    put_xml_element(out, "familienname", r.family);
    put_xml_element(out, "vornamen", r.given);
    out += "</name>\n    <geburt><datum>";
    put4(out, r.birth.year);
    if (r.zero_padded_date) {
        out += "-00-00";
    } else if (r.birth.month > 0) {
        out.push_back('-');
        put2(out, r.birth.month);
        if (r.birth.day > 0) {
            out.push_back('-');
            put2(out, r.birth.day);
        }
    }
    out += "</datum>";
    if (!r.birth_place.empty()) put_xml_element(out, "ort", r.birth_place);
    if (!r.birth_country.empty()) put_xml_element(out, "land", r.birth_country);
    out += "</geburt>\n    <geschlecht>";
    out.push_back(static_cast<char>(r.sex - 'A' + 'a'));
    out += "</geschlecht>\n";
    for (int i = 0; i < r.nationality_count; ++i) {
        out += "    ";
        put_xml_element(out, "staatsangehoerigkeit", r.nationality[static_cast<std::size_t>(i)]);
        out += "\n";
    }
    if (!r.azr.empty()) {
        out += "    ";
        put_xml_element(out, "azrNummer", r.azr);
        out += "\n";
    }
    out += "    <anschrift>";
    put_xml_element(out, "plz", r.postcode);
    put_xml_element(out, "ort", r.town);
    out += "</anschrift>\n";

    const std::size_t before = out.size();
    out += "    <qualifikationen>\n";
    const std::size_t empty_size = out.size();
    if (q.isced >= 0 || q.school_years >= 0) {
        out += "      <schule";
        if (q.isced >= 0) {
            out += " abschluss=\"ISCED-";
            put_int(out, q.isced);
            out.push_back('"');
        }
        if (q.school_years >= 0) {
            out += " jahre=\"";
            put_int(out, q.school_years);
            out.push_back('"');
        }
        put_attr(out, "land", r.education_country);
        out += "/>\n";
    }
    if (q.training != nullptr) {
        out += "      <ausbildung";
        put_attr(out, "kldb", q.training->kldb);
        put_attr(out, "status", q.training_status);
        put_attr(out, "land", r.education_country);
        out.push_back('>');
        append_xml_text(out, r.training_text);
        out += "</ausbildung>\n";
    }
    if (q.study != 0) {
        out += "      <studium isced=\"";
        out += isced_of_study(q.study);
        out.push_back('"');
        put_attr(out, "fach", r.study_field);
        put_attr(out, "land", r.education_country);
        out += q.study == 'S' ? " abgeschlossen=\"false\"/>\n" : " abgeschlossen=\"true\"/>\n";
    }
    if (q.experience != nullptr) {
        out += "      <berufserfahrung";
        put_attr(out, "kldb", q.experience->kldb);
        out += " jahre=\"";
        put_decimal(out, q.experience_years, '.');
        out += "\"/>\n";
    }
    if (q.german > 0) {
        out += "      <sprache code=\"de\" niveau=\"";
        out += cefr(q.german);
        out += q.german_certificate ? "\" nachweis=\"DTZ\"/>\n" : "\"/>\n";
    }
    for (int i = 0; i < q.language_count; ++i) {
        const Language& l = q.languages[static_cast<std::size_t>(i)];
        out += "      <sprache code=\"";
        out += l.code;
        out += "\" niveau=\"";
        out += l.level == 0 ? std::string_view{"muttersprache"} : cefr(l.level);
        out += "\"/>\n";
    }
    if (!q.recognition.empty()) {
        out += "      <anerkennung";
        const Occupation* ref = q.training != nullptr ? q.training : q.experience;
        if (ref != nullptr) put_attr(out, "referenzberuf", ref->kldb);
        put_attr(out, "status", q.recognition);
        out += " datum=\"";
        put_iso_day(out, q.recognition_day);
        out += "\"/>\n";
    }
    if (!q.course_status.empty()) {
        out += "      <integrationskurs";
        put_attr(out, "status", q.course_status);
        put_attr(out, "ergebnis", cefr(q.course_result));
        out += "/>\n";
    }
    if (out.size() == empty_size) {
        out.resize(before);
    } else {
        out += "    </qualifikationen>\n";
    }
    out += "  </person>\n";
}

void append_jobcenter_footer(std::string& out) {
    out += "</jobcenterExport>\n";
}

void append_bamf_line(std::string& out, const Record& r) {
    const Qualifications& q = r.qual;
    out += "{\"aktenzeichen\": ";
    append_json_string(out, r.id);
    out += ", \"azrNummer\": ";
    if (r.azr.empty()) {
        out += "null";
    } else {
        append_json_string(out, r.azr);
    }
    out += ", \"stand\": \"";
    put_iso_time(out, r.stand, false);
    out += "\", \"geloescht\": ";
    out += r.retracted ? "true" : "false";
    out += ", \"person\": {\"familienname\": ";
    append_json_string(out, r.family);
    out += ", \"vornamen\": ";
    put_json_names(out, r.given);
    out += ", \"aliasNamen\": [";
    for (int i = 0; i < r.alias_count; ++i) {
        const Alias& a = r.aliases[static_cast<std::size_t>(i)];
        if (i > 0) out += ", ";
        out += "{\"familienname\": ";
        append_json_string(out, a.family);
        out += ", \"vornamen\": ";
        put_json_names(out, a.given);
        out.push_back('}');
    }
    out.push_back(']');
    if (!r.original.empty()) {
        out += ", \"originalschrift\": ";
        append_json_string(out, r.original);
    }
    out += ", \"geburtsdatum\": {\"jahr\": ";
    put_int(out, r.birth.year);
    out += ", \"monat\": ";
    put_json_int_or_null(out, r.birth.month);
    out += ", \"tag\": ";
    put_json_int_or_null(out, r.birth.day);
    out += "}, \"geburtsort\": ";
    if (r.birth_place.empty()) {
        out += "null";
    } else {
        append_json_string(out, r.birth_place);
    }
    out += ", \"geburtsland\": ";
    append_json_string(out, r.birth_country);
    out += ", \"geschlecht\": \"";
    out.push_back(r.sex);
    out += "\", \"staatsangehoerigkeiten\": [";
    for (int i = 0; i < r.nationality_count; ++i) {
        if (i > 0) out += ", ";
        append_json_string(out, r.nationality[static_cast<std::size_t>(i)]);
    }
    out += "]}";

    if (r.has_soko) {
        const std::size_t before = out.size();
        out += ", \"soko\": {";
        const std::size_t empty_size = out.size();
        const auto sep = [&] {
            if (out.size() != empty_size) out += ", ";
        };
        if (q.school_years >= 0) {
            put_json_key(out, "schulbesuchJahre");
            put_int(out, q.school_years);
        }
        if (q.isced >= 0) {
            sep();
            put_json_key(out, "hoechsterSchulabschluss");
            out += "\"ISCED-";
            put_int(out, q.isced);
            out.push_back('"');
        }
        if (q.study != 0) {
            sep();
            out += "\"studium\": {\"fach\": ";
            append_json_string(out, r.study_field);
            out += ", \"iscedStufe\": ";
            out += isced_of_study(q.study);
            out += q.study == 'S' ? ", \"abgeschlossen\": false}" : ", \"abgeschlossen\": true}";
        }
        if (q.training != nullptr) {
            sep();
            out += "\"berufsausbildung\": [{\"beruf\": ";
            append_json_string(out, r.training_text);
            out += ", \"kldb\": \"";
            out += q.training->kldb;
            out += q.training_status == "abgeschlossen" ? "\", \"abgeschlossen\": true}]"
                                                        : "\", \"abgeschlossen\": false}]";
        }
        if (q.experience != nullptr) {
            sep();
            out += "\"berufserfahrung\": [{\"beruf\": ";
            append_json_string(out, q.experience->text);
            out += ", \"kldb\": \"";
            out += q.experience->kldb;
            out += "\", \"jahre\": ";
            put_int(out, std::llround(q.experience_years));
            out += "}]";
        }
        if (q.language_count > 0 || q.german > 0) {
            sep();
            out += "\"sprachen\": [";
            for (int i = 0; i < q.language_count; ++i) {
                const Language& l = q.languages[static_cast<std::size_t>(i)];
                if (i > 0) out += ", ";
                out += "{\"code\": \"";
                out += l.code;
                out += "\", \"niveau\": \"";
                out += l.level == 0 ? std::string_view{"muttersprache"} : cefr(l.level);
                out += "\"}";
            }
            if (q.german > 0) {
                if (q.language_count > 0) out += ", ";
                out += "{\"code\": \"de\", \"niveau\": \"";
                out += cefr(q.german);
                out += "\"}";
            }
            out.push_back(']');
        }
        if (out.size() == empty_size) {
            out.resize(before);
        } else {
            out.push_back('}');
        }
    }
    out += "}\n";
}

}  // namespace qreg::gen
