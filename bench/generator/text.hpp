#pragma once

#include <string>
#include <string_view>

namespace qreg::gen {

// Case mapping for the letters the generator produces (ASCII, Latin-1, Latin Extended-A,
// Turkish dotless i). Other characters, such as Arabic script, pass through unchanged.
void append_upper(std::string& out, std::string_view utf8);
void append_lower(std::string& out, std::string_view utf8);
// First letter of each word (after start, space or hyphen) upper, the rest lower.
void append_title(std::string& out, std::string_view utf8);
std::string to_upper(std::string_view utf8);
std::string to_lower(std::string_view utf8);
std::string to_title(std::string_view utf8);

// Appends utf8 re-encoded for the BA export. Characters that Windows-1252 cannot hold are
// first folded the way the BA's systems do (ş -> s, ğ -> g, ı -> i); the result is written
// as Windows-1252 bytes, or as UTF-8 when `as_cp1252` is false, so both encodings carry
// the same text.
void append_ba_text(std::string& out, std::string_view utf8, bool as_cp1252);

// One CSV field: quoted (with doubled quotes) when it holds ';', '"', CR or LF.
void append_csv_field(std::string& out, std::string_view value);
// XML character data, or an attribute value delimited by '"'.
void append_xml_text(std::string& out, std::string_view value);
void append_xml_attribute(std::string& out, std::string_view value);
// A JSON string literal, quotes included; non-ASCII is written as raw UTF-8.
void append_json_string(std::string& out, std::string_view value);

}  // namespace qreg::gen
