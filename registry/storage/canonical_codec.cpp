#include "canonical_codec.hpp"

#include "qreg/error.hpp"

#include <fmt/format.h>

#include <zstd.h>

#include <memory>

namespace qreg::registry::canonical {

namespace {

constexpr int level = 3;  // zstd's default; level 1 was no faster here and stored slightly more

struct FreeCDict {
    void operator()(ZSTD_CDict* d) const { ZSTD_freeCDict(d); }
};
struct FreeDDict {
    void operator()(ZSTD_DDict* d) const { ZSTD_freeDDict(d); }
};
struct FreeCCtx {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct FreeDCtx {
    void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// Digested once; shared read-only by all threads.
struct Dictionaries {
    std::unique_ptr<ZSTD_CDict, FreeCDict> compress;  // the newest dictionary
    std::vector<std::pair<std::uint32_t, std::unique_ptr<ZSTD_DDict, FreeDDict>>> decompress;

    Dictionaries() {
        const auto all = dictionaries();
        for (const auto& d : all) {
            decompress.emplace_back(d.id, ZSTD_createDDict(d.bytes.data(), d.bytes.size()));
        }
        const auto& newest = all.back();
        compress.reset(ZSTD_createCDict(newest.bytes.data(), newest.bytes.size(), level));
    }

    [[nodiscard]] const ZSTD_DDict* find(std::uint32_t id) const {
        for (const auto& [i, d] : decompress) {
            if (i == id) return d.get();
        }
        return nullptr;
    }
};

const Dictionaries& digested() {
    static const Dictionaries all;
    return all;
}

}  // namespace

std::vector<Dictionary> dictionaries() {
    std::vector<Dictionary> out;
    for (const auto& a : embedded_assets()) {
        // The id is in the dictionary's header (zstd --train --dictID).
        out.push_back({ZSTD_getDictID_fromDict(a.content.data(), a.content.size()), a.content});
    }
    return out;
}

std::string pack(std::string_view json) {
    thread_local const std::unique_ptr<ZSTD_CCtx, FreeCCtx> cctx(ZSTD_createCCtx());
    thread_local std::string scratch;  // the bound, not the result: kept, not in every record
    scratch.resize(ZSTD_compressBound(json.size()));
    const auto n = ZSTD_compress_usingCDict(cctx.get(), scratch.data(), scratch.size(), json.data(),
                                            json.size(), digested().compress.get());
    if (ZSTD_isError(n)) {
        throw Error(ErrorCode::internal,
                    fmt::format("cannot compress a canonical record: {}", ZSTD_getErrorName(n)));
    }
    return scratch.substr(0, n);
}

std::string unpack(std::string_view blob) {
    const auto id = ZSTD_getDictID_fromFrame(blob.data(), blob.size());
    const auto* dict = digested().find(id);
    const auto size = ZSTD_getFrameContentSize(blob.data(), blob.size());
    if (!dict || size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
        size > (std::uint64_t{1} << 30)) {
        throw Error(ErrorCode::storage,
                    fmt::format("a stored canonical record is not a zstd frame of a known "
                                "dictionary (dictionary id {}); is this qreg older than the "
                                "database?",
                                id));
    }
    thread_local const std::unique_ptr<ZSTD_DCtx, FreeDCtx> dctx(ZSTD_createDCtx());
    std::string out(static_cast<std::size_t>(size), '\0');
    const auto n = ZSTD_decompress_usingDDict(dctx.get(), out.data(), out.size(), blob.data(),
                                              blob.size(), dict);
    if (ZSTD_isError(n) || n != out.size()) {
        throw Error(ErrorCode::storage, fmt::format("a stored canonical record does not decompress: {}",
                                                    ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size"));
    }
    return out;
}

std::string stored_json(sqlite3_stmt* stmt, int column, const std::function<std::string()>& record) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, column));
    const std::string_view bytes(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
    if (sqlite3_column_type(stmt, column) != SQLITE_BLOB) return std::string(bytes);
    try {
        return unpack(bytes);
    } catch (const Error& e) {
        throw Error(ErrorCode::storage,
                    fmt::format("{}: {}; the database file is damaged there: restore it from a "
                                "backup, or import the record's export again into a fresh one",
                                record(), e.what()));
    }
}

}  // namespace qreg::registry::canonical
