#pragma once

// Private to registry/storage: the only header that includes <sqlite3.h>.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace qreg::registry::sqlite {

struct CloseDb {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
    void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Stmt = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

// Throws Error{storage} with `what`, SQLite's message and its extended code.
[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view what);

[[nodiscard]] Db open(const std::string& path);
void exec(sqlite3* db, const char* sql);
[[nodiscard]] Stmt prepare(sqlite3* db, std::string_view sql);

// Binding does not copy: the bound text must live until the statement is reset.
// Statement use (named apart from std::bind, which ADL would find): bind by 1-based index, step, read columns, reset.
void bind_text(sqlite3_stmt* stmt, int index, std::string_view text);
void bind_int(sqlite3_stmt* stmt, int index, std::int64_t value);
void bind_text_copy(sqlite3_stmt* stmt, int index, std::string_view text);  // for temporaries
void bind_blob(sqlite3_stmt* stmt, int index, std::string_view bytes);
void bind_null(sqlite3_stmt* stmt, int index);
// True for a row, false when done; throws on error.
[[nodiscard]] bool step(sqlite3_stmt* stmt);
void run(sqlite3_stmt* stmt);  // step to completion and reset
void reset(sqlite3_stmt* stmt);
// Resets a cached statement when the caller is done with it, also when it throws, so that it
// holds no read transaction open (which would pin an old snapshot of the database).
class ResetOnExit {
public:
    explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
    ~ResetOnExit() { sqlite3_reset(stmt_); }
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;
    [[nodiscard]] sqlite3_stmt* get() const { return stmt_; }

private:
    sqlite3_stmt* stmt_;
};
[[nodiscard]] std::string text(sqlite3_stmt* stmt, int column);
// A text or blob column without a copy: valid until the statement steps or resets.
[[nodiscard]] std::string_view text_view(sqlite3_stmt* stmt, int column);
[[nodiscard]] std::int64_t integer(sqlite3_stmt* stmt, int column);

// List columns: items joined by a separator they never contain; empty items dropped.
[[nodiscard]] std::string join_list(const std::vector<std::string>& items, char separator = ',');
[[nodiscard]] std::vector<std::string> split_list(std::string_view text, char separator = ',');

}  // namespace qreg::registry::sqlite
