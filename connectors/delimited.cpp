#include "qreg/connectors/delimited.hpp"

#include "csv_reader.hpp"
#include "field_rules.hpp"

#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qreg::connectors {

namespace json = boost::json;

namespace {

constexpr std::size_t field_count = static_cast<std::size_t>(CanonicalField::retracted) + 1;

constexpr std::array<std::string_view, field_count> field_names = {
    "record_id",    "family_name",      "given_names", "birth_name",  "birth_date",
    "birthplace",   "birth_country",    "sex",         "nationality", "ba_customer_number",
    "bg_number",    "bamf_file_number", "azr_number",  "other_id",    "street",
    "house_number", "address_extra",    "postcode",    "town",        "region",
    "stand",        "retracted"};

constexpr std::size_t unmapped = static_cast<std::size_t>(-1);

// The identifiers of one person (a BG number is a household's) that keep a record without a
// name when the mapping says so.
constexpr std::array person_identifiers = {CanonicalField::ba_customer_number,
                                           CanonicalField::bamf_file_number,
                                           CanonicalField::azr_number, CanonicalField::other_id};

constexpr std::size_t slot(CanonicalField field) {
    return static_cast<std::size_t>(field);
}

std::optional<CanonicalField> find_field(std::string_view name) {
    for (std::size_t i = 0; i < field_count; ++i) {
        if (field_names[i] == name) return static_cast<CanonicalField>(i);
    }
    return std::nullopt;
}

std::string_view view(const json::string& s) {
    return {s.data(), s.size()};
}

bool is_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    const auto lower_or_digit = [](char c) {
        return (c >= 'a' && c <= 'z') || rules::is_digit(c);
    };
    if (!lower_or_digit(name.front())) return false;
    return std::all_of(name.begin(), name.end(), [&](char c) {
        return lower_or_digit(c) || c == '.' || c == '_' || c == '-';
    });
}

// Reads one mapping document; every failure names the file and the key.
class MappingReader {
public:
    explicit MappingReader(std::string_view file_name) : file_(file_name) {}

    DelimitedMapping read(std::string_view json_text) {
        json::parse_options options;
        options.allow_comments = true;
        boost::system::error_code ec;
        const json::value doc = json::parse(json_text, ec, {}, options);
        if (ec) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: mapping is not valid JSON: {}", file_, ec.message()));
        }
        const auto* root = doc.if_object();
        if (root == nullptr) fail("(top level)", "must be a JSON object");
        check_keys(*root);

        DelimitedMapping m;
        m.format = required_string(*root, "format");
        if (!is_name(m.format)) fail("format", "must match [a-z0-9][a-z0-9._-]*, at most 64");
        m.source = required_string(*root, "source");
        if (!is_name(m.source)) fail("source", "must match [a-z0-9][a-z0-9._-]*, at most 64");
        if (m.source == "ba" || m.source == "jobcenter" || m.source == "bamf") {
            fail("source", "is a built-in source; a mapped source needs its own name");
        }
        m.description = required_string(*root, "description");
        if (m.description.empty()) fail("description", "must not be empty");

        const auto delimiter = required_string(*root, "delimiter");
        if (delimiter.size() != 1 || delimiter[0] == '\r' || delimiter[0] == '\n') {
            fail("delimiter", "must be exactly one character other than CR and LF");
        }
        m.delimiter = delimiter[0];
        if (const auto quote = optional_string(*root, "quote")) {
            if (quote->empty()) {
                m.quote.reset();
            } else if (quote->size() != 1 || (*quote)[0] == '\r' || (*quote)[0] == '\n') {
                fail("quote", "must be one character other than CR and LF, or \"\" for none");
            } else {
                m.quote = (*quote)[0];
            }
        }
        if (m.quote && *m.quote == m.delimiter) fail("quote", "must differ from the delimiter");

        const auto encoding = required_string(*root, "encoding");
        if (encoding == "utf-8") {
            m.encoding = TextEncoding::utf8;
        } else if (encoding == "windows-1252") {
            m.encoding = TextEncoding::windows1252;
        } else {
            fail("encoding", "must be \"utf-8\" or \"windows-1252\"");
        }

        m.has_header = optional_bool(*root, "header").value_or(true);
        m.trim = optional_bool(*root, "trim").value_or(false);
        if (const auto* count = root->if_contains("column_count")) {
            if (m.has_header) fail("column_count", "is only for files without a header row");
            m.column_count = index_value(*count, "column_count");
            if (m.column_count == 0) fail("column_count", "must be at least 1");
        } else if (!m.has_header) {
            fail("column_count", "is required when header is false");
        }

        read_columns(*root, m);
        read_options(*root, m);
        read_codes(*root, m);
        return m;
    }

private:
    [[noreturn]] void fail(std::string_view key, std::string_view problem) const {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {}: {}", file_, key, problem));
    }

    void check_keys(const json::object& root) const {
        static constexpr std::array<std::string_view, 18> known = {"format",
                                                                   "source",
                                                                   "description",
                                                                   "delimiter",
                                                                   "quote",
                                                                   "encoding",
                                                                   "header",
                                                                   "column_count",
                                                                   "trim",
                                                                   "columns",
                                                                   "birth_date_format",
                                                                   "on_bad_date",
                                                                   "without_name",
                                                                   "stand_format",
                                                                   "default_stand",
                                                                   "retracted_values",
                                                                   "active_values",
                                                                   "codes"};
        for (const auto& entry : root) {
            const auto key = std::string_view(entry.key().data(), entry.key().size());
            if (std::find(known.begin(), known.end(), key) == known.end()) {
                fail(key, "unknown key");
            }
        }
    }

    [[nodiscard]] std::string required_string(const json::object& obj, std::string_view key) const {
        auto value = optional_string(obj, key);
        if (!value) fail(key, "is required");
        return std::move(*value);
    }

    [[nodiscard]] std::optional<std::string> optional_string(const json::object& obj,
                                                             std::string_view key) const {
        const auto* value = obj.if_contains(key);
        if (value == nullptr) return std::nullopt;
        const auto* s = value->if_string();
        if (s == nullptr) fail(key, "must be a string");
        return std::string(view(*s));
    }

    // One of the named choices for `key`: the value of the name given, nullopt when the key is
    // absent; any other name fails listing the choices.
    template <class T, std::size_t N>
    [[nodiscard]] std::optional<T> optional_choice(
        const json::object& obj, std::string_view key,
        const std::array<std::pair<std::string_view, T>, N>& choices) const {
        const auto name = optional_string(obj, key);
        if (!name) return std::nullopt;
        for (const auto& [text, value] : choices) {
            if (*name == text) return value;
        }
        std::string names;
        for (std::size_t i = 0; i < N; ++i) {
            names += fmt::format("{}\"{}\"", i == 0 ? "" : i + 1 == N ? " or " : ", ", choices[i].first);
        }
        fail(key, "must be " + names);
    }

    [[nodiscard]] std::optional<bool> optional_bool(const json::object& obj,
                                                    std::string_view key) const {
        const auto* value = obj.if_contains(key);
        if (value == nullptr) return std::nullopt;
        const auto* b = value->if_bool();
        if (b == nullptr) fail(key, "must be true or false");
        return *b;
    }

    [[nodiscard]] std::size_t index_value(const json::value& value, std::string_view key) const {
        if (const auto* i = value.if_int64(); i != nullptr && *i >= 0 && *i < 100000) {
            return static_cast<std::size_t>(*i);
        }
        if (const auto* u = value.if_uint64(); u != nullptr && *u < 100000) {
            return static_cast<std::size_t>(*u);
        }
        fail(key, "must be a whole number from 0 to 99999");
    }

    [[nodiscard]] std::vector<std::string> string_list(const json::object& obj,
                                                       std::string_view key) const {
        const auto* value = obj.if_contains(key);
        if (value == nullptr) return {};
        const auto* array = value->if_array();
        if (array == nullptr) fail(key, "must be an array of strings");
        std::vector<std::string> out;
        for (const auto& item : *array) {
            const auto* s = item.if_string();
            if (s == nullptr) fail(key, "must be an array of strings");
            out.emplace_back(view(*s));
        }
        return out;
    }

    void read_columns(const json::object& root, DelimitedMapping& m) const {
        const auto* value = root.if_contains("columns");
        if (value == nullptr) fail("columns", "is required");
        const auto* columns = value->if_object();
        if (columns == nullptr) fail("columns", "must be an object of canonical field: column");
        for (const auto& entry : *columns) {
            const auto name = std::string_view(entry.key().data(), entry.key().size());
            const std::string key = fmt::format("columns.{}", name);
            const auto field = find_field(name);
            if (!field) fail(key, "unknown canonical field");
            if (find_column(m, *field)) fail(key, "is mapped twice");
            ColumnMapping column;
            column.field = *field;
            if (m.has_header) {
                const auto* s = entry.value().if_string();
                if (s == nullptr || s->empty()) fail(key, "must be a header name (a string)");
                column.column = view(*s);
            } else {
                column.index = index_value(entry.value(), key);
                if (column.index >= m.column_count) fail(key, "is not below column_count");
            }
            m.columns.push_back(std::move(column));
        }
        if (!find_column(m, CanonicalField::record_id)) fail("columns.record_id", "is required");
        if (!find_column(m, CanonicalField::family_name) &&
            !find_column(m, CanonicalField::given_names) &&
            !find_column(m, CanonicalField::birth_name)) {
            fail("columns", "must map family_name, given_names or birth_name");
        }
    }

    static const ColumnMapping* find_column(const DelimitedMapping& m, CanonicalField field) {
        for (const auto& column : m.columns) {
            if (column.field == field) return &column;
        }
        return nullptr;
    }

    void read_options(const json::object& root, DelimitedMapping& m) const {
        const bool has_birth_date = find_column(m, CanonicalField::birth_date) != nullptr;
        using DateChoice = std::pair<std::string_view, DateFormat>;
        constexpr std::array date_formats = {DateChoice{"YYYYMMDD", DateFormat::yyyymmdd},
                                             DateChoice{"TT.MM.JJJJ", DateFormat::german},
                                             DateChoice{"YYYY-MM-DD", DateFormat::iso}};
        if (const auto format = optional_choice(root, "birth_date_format", date_formats)) {
            if (!has_birth_date) fail("birth_date_format", "needs a birth_date column");
            m.birth_date_format = *format;
        } else if (has_birth_date) {
            fail("birth_date_format", "is required with a birth_date column");
        }
        using BadDateChoice = std::pair<std::string_view, BadDatePolicy>;
        constexpr std::array bad_date_policies = {BadDateChoice{"reject", BadDatePolicy::reject},
                                                  BadDateChoice{"warn", BadDatePolicy::warn}};
        if (const auto policy = optional_choice(root, "on_bad_date", bad_date_policies)) {
            if (!has_birth_date) fail("on_bad_date", "needs a birth_date column");
            m.on_bad_date = *policy;
        }
        using NamelessChoice = std::pair<std::string_view, NamelessPolicy>;
        constexpr std::array nameless_policies = {
            NamelessChoice{"reject", NamelessPolicy::reject},
            NamelessChoice{"keep_if_identified", NamelessPolicy::keep_if_identified}};
        m.without_name = optional_choice(root, "without_name", nameless_policies).value_or(m.without_name);

        const bool has_stand = find_column(m, CanonicalField::stand) != nullptr;
        using TimeChoice = std::pair<std::string_view, TimeFormat>;
        constexpr std::array time_formats = {TimeChoice{"ISO-8601", TimeFormat::iso8601},
                                             TimeChoice{"TT.MM.JJJJ HH:MM:SS", TimeFormat::german_local}};
        if (const auto format = optional_choice(root, "stand_format", time_formats)) {
            if (!has_stand) fail("stand_format", "needs a stand column");
            m.stand_format = *format;
        } else if (has_stand) {
            fail("stand_format", "is required with a stand column");
        }
        if (const auto stand = optional_string(root, "default_stand")) {
            auto utc = parse_iso_time(*stand);
            if (!utc) fail("default_stand", "must be an ISO 8601 time with zone");
            m.default_stand = std::move(*utc);
        } else if (!has_stand) {
            fail("default_stand", "is required without a stand column");
        }

        const bool has_retracted = find_column(m, CanonicalField::retracted) != nullptr;
        m.retracted_values = string_list(root, "retracted_values");
        m.active_values = string_list(root, "active_values");
        if (has_retracted && m.retracted_values.empty()) {
            fail("retracted_values", "is required (not empty) with a retracted column");
        }
        if (!has_retracted && root.contains("retracted_values")) {
            fail("retracted_values", "needs a retracted column");
        }
        if (!has_retracted && root.contains("active_values")) {
            fail("active_values", "needs a retracted column");
        }
    }

    void read_codes(const json::object& root, DelimitedMapping& m) const {
        const auto* value = root.if_contains("codes");
        if (value == nullptr) return;
        const auto* codes = value->if_object();
        if (codes == nullptr) fail("codes", "must be an object of canonical field: table");
        for (const auto& entry : *codes) {
            const auto name = std::string_view(entry.key().data(), entry.key().size());
            const std::string key = fmt::format("codes.{}", name);
            const auto field = find_field(name);
            if (!field) fail(key, "unknown canonical field");
            const auto column = std::find_if(m.columns.begin(), m.columns.end(),
                                             [&](const auto& c) { return c.field == *field; });
            if (column == m.columns.end()) fail(key, "the field has no column");
            const auto* table = entry.value().if_object();
            if (table == nullptr || table->empty()) {
                fail(key, "must be a non-empty object of source code: canonical code");
            }
            for (const auto& code : *table) {
                const auto* canonical = code.value().if_string();
                if (canonical == nullptr) fail(key, "codes must map to strings");
                column->codes.emplace(std::string(code.key().data(), code.key().size()),
                                      std::string(view(*canonical)));
            }
        }
    }

    std::string file_;
};

std::optional<BirthDate> parse_compact_date(std::string_view text) {
    if (text.empty()) return make_birth_date(0, 0, 0, "");
    if (text.size() != 8 || !rules::all_digits(text)) return std::nullopt;
    const auto number = [&](std::size_t at, std::size_t len) {
        int value = 0;
        for (const char c : text.substr(at, len)) value = value * 10 + (c - '0');
        return value;
    };
    return make_birth_date(number(0, 4), number(4, 2), number(6, 2), std::string(text));
}

std::string_view date_format_text(DateFormat format) {
    switch (format) {
        case DateFormat::yyyymmdd: return "YYYYMMDD";
        case DateFormat::german: return "TT.MM.JJJJ";
        case DateFormat::iso: return "YYYY-MM-DD";
    }
    return "";
}

class DelimitedParser final : public RecordParser {
public:
    DelimitedParser(const DelimitedMapping& mapping, std::string file_name)
        : mapping_(mapping),
          file_(std::move(file_name)),
          reader_(csv::Dialect{mapping.delimiter, mapping.quote, mapping.trim}, file_) {
        for (const auto& column : mapping_.columns) {
            labels_.push_back(
                mapping_.has_header
                    ? fmt::format("{} (column {})", field_name(column.field), column.column)
                    : fmt::format("{} (column #{})", field_name(column.field), column.index + 1));
            positions_.push_back(column.index);
        }
        if (!mapping_.has_header) {
            field_count_ = mapping_.column_count;
            for (const auto& column : mapping_.columns) {
                if (column.index >= field_count_) {
                    throw Error(ErrorCode::invalid_input,
                                fmt::format("mapping {}: column of {} is not below column_count",
                                            mapping_.format, field_name(column.field)));
                }
            }
        }
    }

    ParseBatch feed(std::string_view chunk) override {
        return reader_.feed(chunk, [&](const csv::Row& row, ParseBatch& out) { on_row(row, out); });
    }

    ParseBatch finish() override {
        const auto require_header = [&] {
            if (mapping_.has_header && !has_header_) {
                fail(1, "file is empty, the header row is missing");
            }
        };
        return reader_.finish([&](const csv::Row& row, ParseBatch& out) { on_row(row, out); },
                              require_header);
    }

private:
    [[noreturn]] void fail(std::size_t line, std::string_view what) const {
        throw Error(ErrorCode::invalid_input, fmt::format("{} line {}: {}; is this a {} export?",
                                                          file_, line, what, mapping_.format));
    }

    [[nodiscard]] csv::Encoding encoding() const {
        return reader_.has_bom() || mapping_.encoding == TextEncoding::utf8
                   ? csv::Encoding::utf8
                   : csv::Encoding::windows1252;
    }

    void on_row(const csv::Row& row, ParseBatch& out) {
        if (mapping_.has_header && !has_header_) {
            read_header(row);
        } else {
            read_record(row, out);
        }
    }

    void read_header(const csv::Row& row) {
        if (row.is_unterminated) fail(row.line, "header row has an unterminated quote");
        if (decoder_.decode(row.fields, encoding())) {
            fail(row.line, "header row is not in the mapping's encoding");
        }
        const auto names = decoder_.fields();
        for (std::size_t c = 0; c < mapping_.columns.size(); ++c) {
            const auto& column = mapping_.columns[c];
            const auto found = std::find(names.begin(), names.end(), column.column);
            if (found == names.end()) {
                fail(row.line, fmt::format("header lacks column {} mapped to {}", column.column,
                                           field_name(column.field)));
            }
            positions_[c] = static_cast<std::size_t>(found - names.begin());
        }
        header_names_.assign(names.begin(), names.end());
        field_count_ = names.size();
        has_header_ = true;
    }

    void problem(ParseBatch& out, const csv::Row& row, std::string reason, std::string id) {
        out.problems.push_back(
            RowProblem{file_, row.line, std::move(reason), std::string(row.raw), std::move(id)});
    }

    void read_record(const csv::Row& row, ParseBatch& out) {
        if (row.is_unterminated) {
            problem(out, row, "unterminated quote at end of file", {});
            return;
        }
        if (row.fields.size() != field_count_) {
            problem(out, row,
                    fmt::format("wrong field count: {} expected, {} found", field_count_,
                                row.fields.size()),
                    {});
            return;
        }
        if (const auto bad = decoder_.decode(row.fields, encoding())) {
            const auto column = *bad < header_names_.size()
                                    ? fmt::format("column {}", header_names_[*bad])
                                    : fmt::format("column #{}", *bad + 1);
            problem(out, row,
                    fmt::format("invalid encoding: {} is not valid {}", column,
                                encoding() == csv::Encoding::utf8 ? "UTF-8" : "Windows-1252"),
                    {});
            return;
        }

        // Built in place: a SourceRecord is over a kilobyte of strings, moving it costs.
        SourceRecord& source = out.records.emplace_back();
        source.line = row.line;
        const auto reject = [&](std::string reason, std::string id) {
            out.records.pop_back();
            problem(out, row, std::move(reason), std::move(id));
        };
        const auto warn = [&](std::string message) {
            source.warnings.push_back(Warning{row.line, std::move(message)});
        };

        // Each mapped field's value after code translation; empty when not mapped.
        std::array<std::string_view, field_count> values{};
        std::array<std::size_t, field_count> which;  // index into mapping_.columns
        which.fill(unmapped);
        const auto fields = decoder_.fields();
        for (std::size_t c = 0; c < mapping_.columns.size(); ++c) {
            const auto& column = mapping_.columns[c];
            auto value = rules::trim(fields[positions_[c]]);
            if (!column.codes.empty() && !value.empty()) {
                if (const auto it = column.codes.find(value); it != column.codes.end()) {
                    value = it->second;
                } else {
                    warn(fmt::format("{}: code not in the mapping's code table; field left empty",
                                     labels_[c]));
                    value = {};
                }
            }
            values[slot(column.field)] = value;
            which[slot(column.field)] = c;
        }
        const auto get = [&](CanonicalField field) {
            return values[slot(field)];
        };
        const auto label = [&](CanonicalField field) {
            const std::size_t c = which[slot(field)];
            return c == unmapped ? std::string(field_name(field)) : labels_[c];
        };

        Record& record = source.record;
        record.source = mapping_.source;
        record.record_id = get(CanonicalField::record_id);
        if (record.record_id.empty()) {
            reject(fmt::format("{}: record id is missing", label(CanonicalField::record_id)), {});
            return;
        }
        record.family_name = clean_text(get(CanonicalField::family_name));
        record.given_names = clean_text(get(CanonicalField::given_names));
        record.birth_name = clean_text(get(CanonicalField::birth_name));
        if (auto reason = reject_reason(record)) {
            if (mapping_.without_name == NamelessPolicy::reject) {
                reject(std::move(*reason), record.record_id);
                return;
            }
            const auto identified = std::any_of(
                person_identifiers.begin(), person_identifiers.end(),
                [&](CanonicalField f) { return !get(f).empty(); });
            if (!identified) {
                reject(*reason + ", and no identifier to match it by", record.record_id);
                return;
            }
            warn(*reason + "; kept for its identifier, matched on its other fields");
        }
        const auto date_text = get(CanonicalField::birth_date);
        std::optional<BirthDate> birth_date;
        switch (mapping_.birth_date_format) {
            case DateFormat::yyyymmdd: birth_date = parse_compact_date(date_text); break;
            case DateFormat::german: birth_date = parse_german_date(date_text); break;
            case DateFormat::iso: birth_date = parse_iso_date(date_text); break;
        }
        if (birth_date) {
            record.birth_date = std::move(*birth_date);
        } else {
            const auto reason = fmt::format("{}: birth date cannot be read, expected {}",
                                            label(CanonicalField::birth_date),
                                            date_format_text(mapping_.birth_date_format));
            if (mapping_.on_bad_date == BadDatePolicy::reject) {
                reject(reason, record.record_id);
                return;
            }
            warn(reason + "; birth date left unknown");
            record.birth_date.original = date_text;
        }

        read_person(record, get, label, warn);
        read_ids(record, get, label, warn);
        read_status(record, get, label, warn);
        source.raw = row.raw;
    }

    template <class Get, class Label, class Warn>
    static void read_person(Record& record, Get& get, Label& label, Warn& warn) {
        record.birthplace = clean_text(get(CanonicalField::birthplace));
        if (const auto country = get(CanonicalField::birth_country); !country.empty()) {
            record.birth_country = rules::upper_ascii(country);
            if (!is_alpha3(record.birth_country)) {
                warn(fmt::format("{}: not an ISO 3166-1 alpha-3 code",
                                 label(CanonicalField::birth_country)));
            }
        }
        if (const auto sex = get(CanonicalField::sex); !sex.empty()) {
            if (const auto mapped = map_sex(sex)) {
                record.sex = *mapped;
            } else {
                warn(fmt::format("{}: unknown code, expected M, W, D or X; sex left unknown",
                                 label(CanonicalField::sex)));
            }
        }
        if (const auto nationality = get(CanonicalField::nationality); !nationality.empty()) {
            record.nationalities.push_back(rules::upper_ascii(nationality));
            if (!is_alpha3(record.nationalities.back())) {
                warn(fmt::format("{}: not an ISO 3166-1 alpha-3 code",
                                 label(CanonicalField::nationality)));
            }
        }
        record.street = clean_text(get(CanonicalField::street));
        record.house_number = clean_text(get(CanonicalField::house_number));
        record.address_extra = clean_text(get(CanonicalField::address_extra));
        record.postcode = get(CanonicalField::postcode);
        record.town = clean_text(get(CanonicalField::town));
        record.region = clean_text(get(CanonicalField::region));
    }

    template <class Get, class Label, class Warn>
    static void read_ids(Record& record, Get& get, Label& label, Warn& warn) {
        const auto check = [&](std::string& target, CanonicalField field,
                               bool (*is_valid)(std::string_view), std::string_view shape) {
            target = get(field);
            if (!target.empty() && !is_valid(target)) {
                warn(fmt::format("{}: identifier is not {}", label(field), shape));
            }
        };
        auto& ids = record.ids;
        check(ids.ba_customer_number, CanonicalField::ba_customer_number,
              rules::is_ba_customer_number, "3 digits, a letter and 6 digits");
        check(ids.bg_number, CanonicalField::bg_number, rules::is_bg_number,
              "5 digits, BG and 7 digits");
        check(ids.bamf_file_number, CanonicalField::bamf_file_number, rules::is_bamf_file_number,
              "7 digits, '-' and 3 digits");
        check(ids.azr_number, CanonicalField::azr_number, rules::is_azr_number, "12 digits");
        ids.other_id = get(CanonicalField::other_id);
    }

    template <class Get, class Label, class Warn>
    void read_status(Record& record, Get& get, Label& label, Warn& warn) const {
        if (const auto as_of = get(CanonicalField::stand); !as_of.empty()) {
            auto utc = mapping_.stand_format == TimeFormat::iso8601
                           ? parse_iso_time(as_of)
                           : parse_german_local_time(as_of);
            if (utc) {
                record.stand = std::move(*utc);
            } else {
                warn(fmt::format("{}: as-of time cannot be read, expected {}; stand left empty",
                                 label(CanonicalField::stand),
                                 mapping_.stand_format == TimeFormat::iso8601
                                     ? "ISO 8601 with zone"
                                     : "TT.MM.JJJJ HH:MM:SS"));
            }
        } else if (!mapping_.default_stand.empty()) {
            record.stand = mapping_.default_stand;
        } else {
            warn(fmt::format("{}: as-of time is missing; stand left empty",
                             label(CanonicalField::stand)));
        }
        if (const auto flag = get(CanonicalField::retracted); !flag.empty()) {
            const auto is_in = [&](const std::vector<std::string>& values) {
                return std::find(values.begin(), values.end(), flag) != values.end();
            };
            if (is_in(mapping_.retracted_values)) {
                record.is_retracted = true;
            } else if (!is_in(mapping_.active_values)) {
                warn(
                    fmt::format("{}: value is neither in retracted_values nor in active_values; "
                                "record not retracted",
                                label(CanonicalField::retracted)));
            }
        }
    }

    DelimitedMapping mapping_;
    std::string file_;
    csv::BatchReader reader_;
    csv::FieldDecoder decoder_;
    std::vector<std::string> labels_;     // per mapped column: `field (column name)`
    std::vector<std::size_t> positions_;  // per mapped column: its field index in a row
    std::vector<std::string> header_names_;
    bool has_header_ = false;
    std::size_t field_count_ = 0;
};

}  // namespace

std::string_view field_name(CanonicalField field) {
    return field_names.at(slot(field));
}

DelimitedMapping parse_delimited_mapping(std::string_view json_text, std::string_view file_name) {
    return MappingReader(file_name).read(json_text);
}

std::unique_ptr<RecordParser> make_delimited_parser(const DelimitedMapping& mapping,
                                                    std::string file_name) {
    return std::make_unique<DelimitedParser>(mapping, std::move(file_name));
}

}  // namespace qreg::connectors
