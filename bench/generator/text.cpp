#include "text.hpp"

#include <array>
#include <cstdint>

namespace qreg::gen {
namespace {

struct Decoded {
    char32_t code;
    std::size_t length;
};

// Input is produced by this program and always valid UTF-8; no error paths needed.
Decoded decode(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return {b0, 1};
    if ((b0 & 0xE0) == 0xC0 && i + 1 < s.size()) {
        return {static_cast<char32_t>(((b0 & 0x1F) << 6) | (s[i + 1] & 0x3F)), 2};
    }
    if ((b0 & 0xF0) == 0xE0 && i + 2 < s.size()) {
        return {static_cast<char32_t>(((b0 & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) |
                                      (s[i + 2] & 0x3F)),
                3};
    }
    if (i + 3 < s.size()) {
        return {static_cast<char32_t>(((b0 & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) |
                                      ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F)),
                4};
    }
    return {U'?', 1};
}

void encode(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

char32_t upper(char32_t c) {
    if (c >= U'a' && c <= U'z') return c - 32;
    if (c < 0x80) return c;
    if (c == 0x00DF) return c;  // ß stays: capital ẞ is not in Windows-1252
    if (c == 0x00FF) return 0x0178;
    if (c >= 0x00E0 && c <= 0x00FE && c != 0x00F7) return c - 32;
    if (c == 0x0131) return U'I';  // Turkish dotless ı
    if (c >= 0x0100 && c <= 0x0137 && c != 0x0130) return c & ~char32_t{1};
    if (c >= 0x0139 && c <= 0x0148) return (c & 1) ? c : c - 1;
    if (c >= 0x014A && c <= 0x0177) return c & ~char32_t{1};
    if (c >= 0x0179 && c <= 0x017E) return (c & 1) ? c : c - 1;
    if (c >= 0x0430 && c <= 0x044F) return c - 32;  // Cyrillic а-я
    if (c >= 0x0450 && c <= 0x045F) return c - 80;  // ѐ-џ, incl. є і ї
    if (c == 0x0491) return 0x0490;                 // ґ
    return c;
}

char32_t lower(char32_t c) {
    if (c >= U'A' && c <= U'Z') return c + 32;
    if (c < 0x80) return c;
    if (c == 0x0178) return 0x00FF;
    if (c >= 0x00C0 && c <= 0x00DE && c != 0x00D7) return c + 32;
    if (c == 0x0130) return U'i';  // Turkish İ
    if (c >= 0x0100 && c <= 0x0137) return c | 1;
    if (c >= 0x0139 && c <= 0x0148) return (c & 1) ? c + 1 : c;
    if (c >= 0x014A && c <= 0x0177) return c | 1;
    if (c >= 0x0179 && c <= 0x017E) return (c & 1) ? c + 1 : c;
    if (c >= 0x0410 && c <= 0x042F) return c + 32;
    if (c >= 0x0400 && c <= 0x040F) return c + 80;
    if (c == 0x0490) return 0x0491;
    return c;
}

template <class Map>
void append_mapped(std::string& out, std::string_view s, Map map) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            out.push_back(static_cast<char>(map(b)));
            ++i;
            continue;
        }
        const auto d = decode(s, i);
        encode(out, map(d.code));
        i += d.length;
    }
}

// Windows-1252 bytes 0x80-0x9F and the code points they stand for; 0 where undefined.
constexpr std::array<char16_t, 32> cp1252_high = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Returns the Windows-1252 byte for c, or -1.
int cp1252_byte(char32_t c) {
    if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) return static_cast<int>(c);
    for (std::size_t i = 0; i < cp1252_high.size(); ++i) {
        if (cp1252_high[i] != 0 && cp1252_high[i] == c) return static_cast<int>(0x80 + i);
    }
    return -1;
}

// What a Windows-1252 system stores for letters it cannot hold.
const char* ba_fold(char32_t c) {
    switch (c) {
        case 0x015E: return "S";  // Ş
        case 0x015F: return "s";  // ş
        case 0x011E: return "G";  // Ğ
        case 0x011F: return "g";  // ğ
        case 0x0130: return "I";  // İ
        case 0x0131: return "i";  // ı
        case 0x010C: return "C";  // Č
        case 0x010D: return "c";  // č
        case 0x0106: return "C";  // Ć
        case 0x0107: return "c";  // ć
        case 0x0141: return "L";  // Ł
        case 0x0142: return "l";  // ł
        case 0x0158: return "R";  // Ř
        case 0x0159: return "r";  // ř
        case 0x011A: return "E";  // Ě
        case 0x011B: return "e";  // ě
        case 0x0101: return "a";  // ā
        case 0x012B: return "i";  // ī
        case 0x016B: return "u";  // ū
        case 0x0113: return "e";  // ē
        case 0x2018:
        case 0x2019: return "'";
        default: return "?";
    }
}

}  // namespace

void append_upper(std::string& out, std::string_view utf8) {
    append_mapped(out, utf8, upper);
}

void append_lower(std::string& out, std::string_view utf8) {
    append_mapped(out, utf8, lower);
}

void append_title(std::string& out, std::string_view utf8) {
    bool start = true;
    append_mapped(out, utf8, [&start](char32_t c) {
        const char32_t mapped = start ? upper(c) : lower(c);
        start = c == U' ' || c == U'-';
        return mapped;
    });
}

std::string to_upper(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    append_upper(out, utf8);
    return out;
}

std::string to_lower(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    append_lower(out, utf8);
    return out;
}

std::string to_title(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    append_title(out, utf8);
    return out;
}

void append_ba_text(std::string& out, std::string_view utf8, bool as_cp1252) {
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        if (b < 0x80) {
            out.push_back(static_cast<char>(b));
            ++i;
            continue;
        }
        const auto d = decode(utf8, i);
        i += d.length;
        const int byte = cp1252_byte(d.code);
        if (byte >= 0) {
            if (as_cp1252) {
                out.push_back(static_cast<char>(byte));
            } else {
                encode(out, d.code);
            }
        } else {
            out += ba_fold(d.code);
        }
    }
}

void append_csv_field(std::string& out, std::string_view value) {
    if (value.find_first_of(";\"\r\n") == std::string_view::npos) {
        out += value;
        return;
    }
    out.push_back('"');
    for (const char c : value) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

namespace {

void append_xml(std::string& out, std::string_view value, bool attribute) {
    for (const char c : value) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"':
                if (attribute) {
                    out += "&quot;";
                } else {
                    out.push_back(c);
                }
                break;
            case '\n':
                // A raw newline in an attribute would be normalised to a space by the parser.
                if (attribute) {
                    out += "&#10;";
                } else {
                    out.push_back(c);
                }
                break;
            case '\r': out += "&#13;"; break;
            default: out.push_back(c);
        }
    }
}

}  // namespace

void append_xml_text(std::string& out, std::string_view value) {
    append_xml(out, value, false);
}

void append_xml_attribute(std::string& out, std::string_view value) {
    append_xml(out, value, true);
}

void append_json_string(std::string& out, std::string_view value) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (const char c : value) {
        const auto b = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (b < 0x20) {
                    out += "\\u00";
                    out.push_back(hex[b >> 4]);
                    out.push_back(hex[b & 0xF]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

}  // namespace qreg::gen
