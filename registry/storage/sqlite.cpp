#include "sqlite.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "qreg/error.hpp"

namespace qreg::registry::sqlite {

void throw_error(sqlite3* db, int rc, std::string_view what) {
    const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const int extended = db ? sqlite3_extended_errcode(db) : rc;
    throw Error(ErrorCode::storage,
                fmt::format("{}: {} (sqlite {}, extended {})", what, message, rc & 0xFF, extended));
}

Db open(const std::string& path) {
    // Memory statistics take a global mutex on every SQLite allocation and qreg reads none of
    // them. Only possible before SQLite initialises; later calls fail harmlessly.
    [[maybe_unused]] static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    Db db{raw};  // own the handle first: open may allocate one even when it fails
    if (rc != SQLITE_OK) throw_error(db.get(), rc, fmt::format("cannot open database {}", path));
    sqlite3_extended_result_codes(db.get(), 1);
    return db;
}

void exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw Error(ErrorCode::storage, fmt::format("database statement failed: {} (sqlite {})", text, rc));
    }
}

Stmt prepare(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    Stmt stmt{raw};
    if (rc != SQLITE_OK) throw_error(db, rc, "cannot prepare statement");
    return stmt;
}

void bind_text(sqlite3_stmt* stmt, int index, std::string_view value) {
    // A null data pointer would bind SQL NULL; an empty text must stay ''.
    const char* data = value.data() ? value.data() : "";
    const int rc =
        sqlite3_bind_text(stmt, index, data, static_cast<int>(value.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK) throw_error(sqlite3_db_handle(stmt), rc, "cannot bind text");
}

void bind_text_copy(sqlite3_stmt* stmt, int index, std::string_view value) {
    const char* data = value.data() ? value.data() : "";
    const int rc =
        sqlite3_bind_text(stmt, index, data, static_cast<int>(value.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw_error(sqlite3_db_handle(stmt), rc, "cannot bind text");
}

void bind_int(sqlite3_stmt* stmt, int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt, index, value);
    if (rc != SQLITE_OK) throw_error(sqlite3_db_handle(stmt), rc, "cannot bind integer");
}

void bind_blob(sqlite3_stmt* stmt, int index, std::string_view bytes) {
    const char* data = bytes.data() ? bytes.data() : "";
    const int rc =
        sqlite3_bind_blob(stmt, index, data, static_cast<int>(bytes.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK) throw_error(sqlite3_db_handle(stmt), rc, "cannot bind blob");
}

void bind_null(sqlite3_stmt* stmt, int index) {
    const int rc = sqlite3_bind_null(stmt, index);
    if (rc != SQLITE_OK) throw_error(sqlite3_db_handle(stmt), rc, "cannot bind null");
}

bool step(sqlite3_stmt* stmt) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt);
    throw_error(sqlite3_db_handle(stmt), rc, "statement failed");
}

void run(sqlite3_stmt* stmt) {
    while (step(stmt)) {
    }
    reset(stmt);
}

void reset(sqlite3_stmt* stmt) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

std::string text(sqlite3_stmt* stmt, int column) { return std::string(text_view(stmt, column)); }

std::string_view text_view(sqlite3_stmt* stmt, int column) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, column));
    const int size = sqlite3_column_bytes(stmt, column);
    return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
}

std::int64_t integer(sqlite3_stmt* stmt, int column) { return sqlite3_column_int64(stmt, column); }

std::string join_list(const std::vector<std::string>& items, char separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto end = std::min(text.find(separator), text.size());
        if (end > 0) out.emplace_back(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return out;
}

}  // namespace qreg::registry::sqlite
