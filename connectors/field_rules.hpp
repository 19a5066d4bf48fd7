#pragma once

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Private to connectors/: small checks on field values shared by the CSV-based connectors.
namespace qreg::connectors::rules {

[[nodiscard]] inline bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

[[nodiscard]] inline bool all_digits(std::string_view text) noexcept {
    for (const char c : text) {
        if (!is_digit(c)) return false;
    }
    return true;
}

[[nodiscard]] inline std::string_view trim(std::string_view text) noexcept {
    const auto blank = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return text;
}

// BA customer number: 3 digits, 1 letter, 6 digits (`962D071234`).
[[nodiscard]] inline bool is_ba_customer_number(std::string_view id) noexcept {
    return id.size() == 10 && all_digits(id.substr(0, 3)) && id[3] >= 'A' && id[3] <= 'Z' &&
           all_digits(id.substr(4));
}

// BAMF file number: 7 digits, `-`, 3 digits (`8123456-475`).
[[nodiscard]] inline bool is_bamf_file_number(std::string_view id) noexcept {
    return id.size() == 11 && all_digits(id.substr(0, 7)) && id[7] == '-' &&
           all_digits(id.substr(8));
}

// AZR number: 12 digits.
[[nodiscard]] inline bool is_azr_number(std::string_view id) noexcept {
    return id.size() == 12 && all_digits(id);
}

// BG number: 5-digit office, `BG`, 7 digits (`36102BG0012345`).
[[nodiscard]] inline bool is_bg_number(std::string_view id) noexcept {
    return id.size() == 14 && all_digits(id.substr(0, 5)) && id.substr(5, 2) == "BG" &&
           all_digits(id.substr(7));
}

[[nodiscard]] inline std::optional<int> parse_count(std::string_view text) noexcept {
    if (text.empty() || text.size() > 4 || !all_digits(text)) return std::nullopt;
    int value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

// A non-negative decimal with comma (`4,5`, BA) or point: digits, optionally one separator and
// more digits.
[[nodiscard]] inline std::optional<double> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > 12) return std::nullopt;
    std::string copy(text);
    const auto sep = copy.find_first_of(",.");
    if (sep != std::string::npos) {
        copy[sep] = '.';
        if (sep == 0 || sep + 1 == copy.size()) return std::nullopt;
        if (!all_digits(std::string_view(copy).substr(0, sep)) ||
            !all_digits(std::string_view(copy).substr(sep + 1)))
            return std::nullopt;
    } else if (!all_digits(copy)) {
        return std::nullopt;
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(copy.data(), copy.data() + copy.size(), value);
    if (ec != std::errc{} || ptr != copy.data() + copy.size()) return std::nullopt;
    return value;
}

[[nodiscard]] inline std::string upper_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

[[nodiscard]] inline std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

}  // namespace qreg::connectors::rules
