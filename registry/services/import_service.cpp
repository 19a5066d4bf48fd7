#include "import_service.hpp"

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "../record_json.hpp"
#include "sharing_service.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

constexpr std::size_t chunk_bytes = 1 << 19;

}  // namespace

std::string utc_now() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

std::string to_json(const ImportSummary& s) {
    json::array rejects;
    for (const auto& p : s.rejects) {
        rejects.push_back(json::object{{"file", p.file},
                                       {"line", p.line},
                                       {"reason", p.reason},
                                       {"record_id", p.record_id}});
    }
    json::array warnings;
    for (const auto& w : s.warnings) {
        warnings.push_back(json::object{{"file", w.file}, {"line", w.line}, {"message", w.message}});
    }
    json::array files;
    for (const auto& f : s.files) files.emplace_back(f);
    const json::object o{{"import_id", s.import_id},
                         {"format", s.format},
                         {"files", std::move(files)},
                         {"received", s.received},
                         {"new", s.created},
                         {"updated", s.updated},
                         {"unchanged", s.unchanged},
                         {"stale", s.stale},
                         {"retracted", s.retracted},
                         {"rejected", s.rejected},
                         {"rejects", std::move(rejects)},
                         {"rejects_listed", s.rejects.size()},
                         {"warning_count", s.warning_count},
                         {"warnings", std::move(warnings)}};
    return json::serialize(o);
}

ImportSession::ImportSession(Store& store, const connectors::FormatCatalog& catalog,
                             std::string format, std::string actor, std::string now,
                             std::uint64_t expected_bytes)
    : store_(store), catalog_(catalog), transaction_(store) {
    if (!catalog_.find(format)) {
        // make_parser names the known formats in its error
        (void)catalog_.make_parser(format, "");
    }
    import_ = store_.start_import(format, actor, now);
    summary_.import_id = import_.value;
    summary_.format = std::move(format);
    // About 200,000 records and up: rebuilding the indexes beats updating them per row.
    bulk_ = expected_bytes >= (32u << 20);
    if (bulk_) store_.drop_secondary_indexes();
}

void ImportSession::add_file(std::string_view file_name, const ByteReader& read,
                             const ProgressFn& progress) {
    const std::string name(file_name);
    summary_.files.push_back(name);
    auto parser = catalog_.make_parser(summary_.format, name);
    ImportProgress state{name, 0, 0};

    // Reading, parsing and writing the canonical JSON run on a second thread, storing on this
    // one (SQLite is used from one thread only). A small bounded queue keeps memory flat.
    struct Chunk {
        connectors::ParseBatch batch;
        std::vector<std::string> canonical;  // per record of batch
        std::uint64_t bytes = 0;
        bool last = false;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Chunk> queue;
    constexpr std::size_t max_queued = 2;
    std::exception_ptr failure;
    bool stop = false;

    std::thread producer([&] {
        try {
            std::vector<char> buffer(chunk_bytes);
            bool done = false;
            while (!done) {
                Chunk chunk;
                const std::size_t n = read(std::span<char>(buffer));
                chunk.bytes = n;
                if (n == 0) {
                    chunk.batch = parser->finish();
                    chunk.last = done = true;
                } else {
                    chunk.batch = parser->feed(std::string_view(buffer.data(), n));
                }
                chunk.canonical.reserve(chunk.batch.records.size());
                for (const auto& r : chunk.batch.records) chunk.canonical.push_back(to_json(r.record));
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return queue.size() < max_queued || stop; });
                if (stop) return;
                queue.push_back(std::move(chunk));
                changed.notify_all();
            }
        } catch (...) {
            const std::lock_guard lock(mutex);
            failure = std::current_exception();
            changed.notify_all();
        }
    });
    // Stops the producer however this function is left.
    struct Joiner {
        std::thread& thread;
        std::mutex& mutex;
        std::condition_variable& changed;
        bool& stop;
        ~Joiner() {
            {
                const std::lock_guard lock(mutex);
                stop = true;
            }
            changed.notify_all();
            thread.join();
        }
    } joiner{producer, mutex, changed, stop};

    for (;;) {
        Chunk chunk;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return !queue.empty() || failure; });
            if (queue.empty()) std::rethrow_exception(failure);
            chunk = std::move(queue.front());
            queue.pop_front();
            changed.notify_all();
        }
        state.bytes_read += chunk.bytes;
        store_batch(name, chunk.batch, chunk.canonical, state);
        if (progress) progress(state);
        if (chunk.last) break;
    }
}

void ImportSession::store_batch(const std::string& name, connectors::ParseBatch& batch,
                                const std::vector<std::string>& canonical, ImportProgress& state) {
    for (auto& w : batch.warnings) {
        ++summary_.warning_count;
        if (summary_.warnings.size() < ImportSummary::max_listed) {
            summary_.warnings.push_back({name, w.line, std::move(w.message)});
        }
    }
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
        const auto& r = batch.records[i];
        ++summary_.received;
        ++state.records;
        if (r.record.is_retracted) ++summary_.retracted;
        switch (store_.upsert(import_, r, name, canonical[i])) {
            case UpsertOutcome::created: ++summary_.created; break;
            case UpsertOutcome::updated: ++summary_.updated; break;
            case UpsertOutcome::unchanged: ++summary_.unchanged; break;
            case UpsertOutcome::stale: ++summary_.stale; break;
        }
        for (const auto& w : r.warnings) {
            ++summary_.warning_count;
            if (summary_.warnings.size() < ImportSummary::max_listed) {
                summary_.warnings.push_back({name, w.line ? w.line : r.line, w.message});
            }
        }
    }
    for (auto& p : batch.problems) {
        ++summary_.received;
        ++summary_.rejected;
        ++state.records;
        if (p.file.empty()) p.file = name;
        store_.reject(import_, summary_.format, p);
        if (summary_.rejects.size() < ImportSummary::max_listed) {
            p.raw.clear();  // kept in the database; the summary carries no personal data
            summary_.rejects.push_back(std::move(p));
        }
    }
}

ImportSummary ImportSession::commit(std::string_view now) {
    if (bulk_) store_.create_secondary_indexes();
    enqueue_changes(store_, store_.consented_persons_of_import(import_), "import", now);
    store_.finish_import(import_, now, to_json(summary_));
    transaction_.commit();
    return summary_;
}

ImportSummary import_files(Store& store, const connectors::FormatCatalog& catalog,
                           const std::string& format, const std::string& actor,
                           const std::vector<ImportFile>& files, const ProgressFn& progress) {
    struct Closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    if (!catalog.find(format)) (void)catalog.make_parser(format, "");  // names the known formats
    std::vector<std::unique_ptr<std::FILE, Closer>> opened;
    std::uint64_t total = 0;
    for (const auto& file : files) {
        std::error_code ec;
        if (std::filesystem::is_directory(file.path, ec)) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{} is a folder, not an export file", file.name));
        }
        std::unique_ptr<std::FILE, Closer> f{std::fopen(file.path.c_str(), "rb")};
        if (!f) {
            throw Error(ErrorCode::invalid_input, fmt::format("cannot read {}: {}; nothing was imported",
                                                              file.name, std::strerror(errno)));
        }
        total += std::filesystem::file_size(file.path, ec);
        opened.push_back(std::move(f));
    }
    ImportSession session(store, catalog, format, actor, utc_now(), total);
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::FILE* f = opened[i].get();
        const auto& name = files[i].name;
        session.add_file(
            name,
            [f, &name](std::span<char> buffer) {
                const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), f);
                if (n == 0 && std::ferror(f)) {
                    throw Error(ErrorCode::invalid_input,
                                fmt::format("reading {} failed; nothing was imported", name));
                }
                return n;
            },
            progress);
    }
    return session.commit(utc_now());
}

}  // namespace qreg::registry
