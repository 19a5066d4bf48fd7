#pragma once

#include "qreg/connectors/common.hpp"
#include "qreg/connectors/parser.hpp"
#include "qreg/error.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Private to connectors/: the incremental CSV tokenizer shared by ba_csv.cpp and delimited.cpp.
// Header-only because the connectors' source list is fixed.
namespace qreg::connectors::csv {

struct Dialect {
    char delimiter = ';';
    std::optional<char> quote = '"';  // nullopt: no quoting at all
    // Skip blanks (space, tab) around fields, so `a, "b"` reads `b` as quoted, and trim values.
    bool trim = false;
};

// One complete row. Views are valid only during the callback that receives it.
struct Row {
    std::string_view raw;  // exact bytes, without the line terminator (LF or CRLF)
    std::size_t line = 0;  // 1-based physical line where the row starts
    std::span<const std::string_view> fields;  // quotes removed, `""` unescaped, not yet decoded
    bool is_unterminated = false;              // the file ended inside a quoted field
};

// memchr is vectorised; std::count over bytes is not at -O2, and this runs on every row.
[[nodiscard]] inline std::size_t count_newlines(std::string_view text) noexcept {
    std::size_t n = 0;
    const char* at = text.data();
    const char* const end = at + text.size();
    while (at != end) {
        const void* hit = std::memchr(at, '\n', static_cast<std::size_t>(end - at));
        if (hit == nullptr) break;
        at = static_cast<const char*>(hit) + 1;
        ++n;
    }
    return n;
}

// A row that grows beyond this is almost surely an unbalanced quote swallowing the file; it
// fails the file rather than the memory.
inline constexpr std::size_t max_row_bytes = 64u << 20;

// RFC 4180 with CRLF or LF line ends, plus leniency for what real exports contain: a quote
// inside an unquoted field is a literal character; text after a closing quote is appended.
// Every decision depends only on bytes already seen, so chunk boundaries never change the
// result. Only the unfinished row is buffered. A leading UTF-8 byte order mark is removed and
// reported by has_bom().
class Reader {
public:
    Reader(Dialect dialect, std::string file_name)
        : dialect_(dialect), file_name_(std::move(file_name)) {}

    // Calls on_row(const Row&) for each non-blank row completed by `chunk`.
    // Throws Error{invalid_input} when a row exceeds max_row_bytes.
    template <class OnRow>
    void feed(std::string_view chunk, OnRow&& on_row) {
        buf_.append(chunk);
        if (!bom_checked_) {
            if (buf_.size() < bom.size() && bom.starts_with(buf_)) return;  // wait for more
            check_bom();
        }
        scan(on_row);
        check_row_size(buf_.size());
        compact();
    }

    // End of input: emits the last row when it has no line terminator, or the unfinished
    // quoted row with is_unterminated set.
    template <class OnRow>
    void finish(OnRow&& on_row) {
        if (!bom_checked_) {
            check_bom();
            scan(on_row);
        }
        if (buf_.size() > row_start_) {
            if (state_ == State::quoted) {
                end_field();
                emit(std::string_view(buf_).substr(row_start_), true, on_row);
            } else {
                end_row(buf_.size(), on_row);
            }
        }
        buf_.clear();
        pos_ = row_start_ = 0;
        state_ = State::field_start;
    }

    // True once the file is known to start with a UTF-8 byte order mark.
    [[nodiscard]] bool has_bom() const noexcept { return has_bom_; }

private:
    enum class State : unsigned char {
        field_start,
        unquoted,
        quoted,
        quote_in_quoted,
        after_quote
    };
    static constexpr std::string_view bom = "\xEF\xBB\xBF";

    [[nodiscard]] bool is_blank(char c) const noexcept {
        return dialect_.trim && (c == ' ' || c == '\t') && c != dialect_.delimiter;
    }

    void check_bom() {
        bom_checked_ = true;
        if (std::string_view(buf_).starts_with(bom)) {
            has_bom_ = true;
            buf_.erase(0, bom.size());
        }
    }

    // Checked on every row and on the unfinished tail, so the outcome does not depend on
    // where the chunks end.
    void check_row_size(std::size_t row_end) const {
        if (row_end - row_start_ > max_row_bytes) {
            throw Error(ErrorCode::invalid_input,
                        file_name_ + " line " + std::to_string(line_) +
                            ": row longer than 64 MiB; is a quote unbalanced?");
        }
    }

    template <class OnRow>
    void scan(OnRow& on_row) {
        const char* const data = buf_.data();
        const std::size_t n = buf_.size();
        const char delim = dialect_.delimiter;
        const bool quoting = dialect_.quote.has_value();
        const char quote = dialect_.quote.value_or('\0');
        std::size_t i = pos_;
        while (i < n) {
            const char c = data[i];
            switch (state_) {
                case State::field_start:
                    if (quoting && c == quote) {
                        state_ = State::quoted;
                        ++i;
                    } else if (is_blank(c)) {
                        ++i;
                    } else {
                        state_ = State::unquoted;
                    }
                    break;
                case State::unquoted: {
                    std::size_t j = i;
                    while (j < n && data[j] != delim && data[j] != '\n') ++j;
                    field_text_.append(data + i, j - i);
                    if (j == n) {
                        i = n;
                    } else if (data[j] == delim) {
                        end_field();
                        state_ = State::field_start;
                        i = j + 1;
                    } else {
                        end_row(j, on_row);
                        i = j + 1;
                    }
                    break;
                }
                case State::quoted: {
                    const auto* const end = data + n;
                    const auto* const q = std::find(data + i, end, quote);
                    const std::string_view run(data + i, static_cast<std::size_t>(q - (data + i)));
                    field_text_.append(run);
                    // Outside quotes a line feed ends the row, so only here can a row span lines.
                    row_line_feeds_ += count_newlines(run);
                    i = static_cast<std::size_t>(q - data);
                    if (q != end) {
                        state_ = State::quote_in_quoted;
                        ++i;
                    }
                    break;
                }
                case State::quote_in_quoted:
                    if (c == quote) {  // `""` inside quotes
                        field_text_ += quote;
                        state_ = State::quoted;
                        ++i;
                    } else if (c == delim || c == '\n' || is_blank(c)) {
                        state_ = State::after_quote;
                    } else {
                        state_ = State::unquoted;  // lenient: text after the closing quote
                    }
                    break;
                case State::after_quote:
                    if (c == delim) {
                        end_field();
                        state_ = State::field_start;
                        ++i;
                    } else if (c == '\n') {
                        end_row(i, on_row);
                        ++i;
                    } else if (is_blank(c)) {
                        ++i;
                    } else {
                        state_ = State::unquoted;
                    }
                    break;
            }
        }
        pos_ = i;
    }

    void end_field() {
        std::size_t begin = field_begin_;
        std::size_t end = field_text_.size();
        if (dialect_.trim) {
            while (begin < end && is_blank(field_text_[begin])) ++begin;
            while (end > begin && is_blank(field_text_[end - 1])) --end;
        }
        spans_.emplace_back(begin, end);
        field_begin_ = field_text_.size();
    }

    // The row ends before buf_[at] (a line feed, or the end of the input).
    template <class OnRow>
    void end_row(std::size_t at, OnRow& on_row) {
        check_row_size(at);
        std::size_t raw_end = at;
        // CR of a CRLF: in the unquoted state it was appended to the last field as well.
        if (raw_end > row_start_ && buf_[raw_end - 1] == '\r') {
            --raw_end;
            if (state_ == State::unquoted && field_text_.size() > field_begin_ &&
                field_text_.back() == '\r') {
                field_text_.pop_back();
            }
        }
        end_field();
        const std::string_view raw =
            std::string_view(buf_).substr(row_start_, raw_end - row_start_);
        if (!raw.empty()) emit(raw, false, on_row);
        line_ += row_line_feeds_ + 1;
        row_line_feeds_ = 0;
        row_start_ = at + 1;
        state_ = State::field_start;
        field_text_.clear();
        spans_.clear();
        field_begin_ = 0;
    }

    template <class OnRow>
    void emit(std::string_view raw, bool is_unterminated, OnRow& on_row) {
        views_.clear();
        for (const auto& [begin, end] : spans_) {
            views_.emplace_back(field_text_.data() + begin, end - begin);
        }
        on_row(Row{raw, line_, views_, is_unterminated});
    }

    void compact() {
        if (row_start_ == 0) return;
        if (row_start_ >= buf_.size()) {
            buf_.clear();
        } else {
            buf_.erase(0, row_start_);
        }
        pos_ -= row_start_;
        row_start_ = 0;
    }

    Dialect dialect_;
    std::string file_name_;
    std::string buf_;            // from the start of the unfinished row to the end of input so far
    std::size_t pos_ = 0;        // scanned up to here
    std::size_t row_start_ = 0;  // start of the unfinished row in buf_
    std::size_t line_ = 1;       // line where the unfinished row starts
    std::size_t row_line_feeds_ = 0;  // line feeds inside quotes in the unfinished row
    State state_ = State::field_start;
    std::string field_text_;  // decoded fields of the unfinished row, back to back
    std::size_t field_begin_ = 0;
    std::vector<std::pair<std::size_t, std::size_t>> spans_;  // [begin, end) in field_text_
    std::vector<std::string_view> views_;
    bool bom_checked_ = false;
    bool has_bom_ = false;
};

// A Reader as the two CSV parsers drive it: rows become a ParseBatch, and a file-level failure
// is final. Once feed or finish has thrown an Error, every later call throws it again, so the
// rows before it cannot pass for a whole file.
class BatchReader {
public:
    BatchReader(Dialect dialect, std::string file_name) : reader_(dialect, std::move(file_name)) {}

    // Calls on_row(const Row&, ParseBatch&) for each row completed by `chunk`.
    template <class OnRow>
    [[nodiscard]] ParseBatch feed(std::string_view chunk, OnRow&& on_row) {
        throw_if_failed();
        ParseBatch out;
        // Records are large; one allocation per chunk instead of a cascade of moves.
        out.records.reserve(count_newlines(chunk));
        latch([&] { reader_.feed(chunk, [&](const Row& row) { on_row(row, out); }); });
        return out;
    }

    // End of input: the last row as in Reader::finish, then at_end(), which may throw the
    // parser's own file-level Error (a missing header).
    template <class OnRow, class AtEnd>
    [[nodiscard]] ParseBatch finish(OnRow&& on_row, AtEnd&& at_end) {
        throw_if_failed();
        ParseBatch out;
        latch([&] {
            reader_.finish([&](const Row& row) { on_row(row, out); });
            at_end();
        });
        return out;
    }

    [[nodiscard]] bool has_bom() const noexcept { return reader_.has_bom(); }

private:
    void throw_if_failed() const {
        if (failure_) throw Error(ErrorCode::invalid_input, *failure_);
    }

    template <class Step>
    void latch(Step&& step) {
        try {
            step();
        } catch (const Error& e) {
            failure_ = e.what();
            throw;
        }
    }

    Reader reader_;
    std::optional<std::string> failure_;  // the first file-level failure, rethrown by every call
};

enum class Encoding { utf8, windows1252 };

[[nodiscard]] inline bool is_ascii(std::string_view text) noexcept {
    unsigned char any = 0;
    for (const char c : text) any |= static_cast<unsigned char>(c);
    return any < 0x80;
}

// Turns a row's fields into UTF-8. Keeps its buffers between rows, so ASCII fields cost nothing.
class FieldDecoder {
public:
    // Returns the index of the first field that is not valid in `encoding`, or nullopt when
    // all fields are decoded; then fields() holds them as UTF-8.
    [[nodiscard]] std::optional<std::size_t> decode(std::span<const std::string_view> fields,
                                                    Encoding encoding) {
        views_.assign(fields.begin(), fields.end());
        if (scratch_.size() < views_.size()) scratch_.resize(views_.size());
        for (std::size_t i = 0; i < views_.size(); ++i) {
            if (is_ascii(views_[i])) continue;
            if (encoding == Encoding::utf8) {
                if (!is_valid_utf8(views_[i])) return i;
                continue;
            }
            auto converted = cp1252_to_utf8(views_[i]);
            if (!converted) return i;
            scratch_[i] = std::move(*converted);
            views_[i] = scratch_[i];
        }
        return std::nullopt;
    }

    [[nodiscard]] std::span<const std::string_view> fields() const noexcept { return views_; }

private:
    std::vector<std::string_view> views_;
    std::vector<std::string> scratch_;
};

}  // namespace qreg::connectors::csv
