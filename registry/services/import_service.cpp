#include "import_service.hpp"

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>
#include <tuple>
#include <vector>

#include "../record_json.hpp"
#include "../storage/canonical_codec.hpp"
#include "sharing_service.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

constexpr std::size_t chunk_bytes = 1 << 19;

// The counters of a summary, without its lists.
ImportSummary counts_only(const ImportSummary& s) {
    ImportSummary out;
    out.received = s.received;
    out.created = s.created;
    out.updated = s.updated;
    out.unchanged = s.unchanged;
    out.stale = s.stale;
    out.retracted = s.retracted;
    out.rejected = s.rejected;
    out.warning_count = s.warning_count;
    return out;
}

// The order in which a batch is stored: by (source, record id), so that the unique index on
// them is written page after page instead of at random (about twice as fast for a large
// import). Stable: versions of one record keep their order in the file, so the outcome is the
// same as storing the records one by one in file order; only the internal ids they get differ.
std::vector<std::uint32_t> key_order(const std::vector<connectors::SourceRecord>& records) {
    std::vector<std::uint32_t> order(records.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto& x = records[a].record;
        const auto& y = records[b].record;
        return std::tie(x.source, x.record_id) < std::tie(y.source, y.record_id);
    });
    return order;
}

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
    json::object o{{"import_id", s.import_id},
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
    if (const auto& m = s.matching) {
        o["matching"] = json::parse(match_report_json(*m));
    } else {
        o["matching"] = json::object{{"mode", "deferred"}};
    }
    return json::serialize(o);
}

ImportSession::ImportSession(Store& store, const connectors::FormatCatalog& catalog,
                             std::string format, std::string actor, std::string now,
                             std::uint64_t expected_bytes, AuditLog* audit, AuditContext context,
                             const dedup::MatchSettings* match)
    : store_(store),
      catalog_(catalog),
      transaction_(store),
      audit_(audit),
      context_(std::move(context)),
      match_(match) {
    if (context_.actor.principal.empty()) context_.actor.principal = actor;
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
    const ImportSummary before = counts_only(summary_);
    auto parser = catalog_.make_parser(summary_.format, name);
    ImportProgress state{name, 0, 0};

    // Reading, parsing and writing the canonical JSON run on a second thread, storing on this
    // one (SQLite is used from one thread only). A small bounded queue keeps memory flat.
    struct Chunk {
        connectors::ParseBatch batch;
        std::vector<std::string> canonical;  // per record of batch
        std::vector<std::string> packed;     // the same as stored (canonical::pack)
        std::vector<std::uint32_t> order;    // the records by (source, record id)
        std::uint64_t bytes = 0;
        bool last = false;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Chunk> queue;
    std::vector<Chunk> spent;  // stored: freed on the producer's thread, off the storing one
    constexpr std::size_t max_queued = 2;
    std::exception_ptr failure;
    bool stop = false;

    std::thread producer([&] {
        try {
            std::vector<char> buffer(chunk_bytes);
            bool done = false;
            while (!done) {
                {
                    std::vector<Chunk> old;
                    {
                        const std::lock_guard lock(mutex);
                        old.swap(spent);
                    }
                }
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
                chunk.packed.reserve(chunk.batch.records.size());
                for (const auto& r : chunk.batch.records) {
                    chunk.canonical.push_back(to_json(r.record));
                    chunk.packed.push_back(canonical::pack(chunk.canonical.back()));
                }
                chunk.order = key_order(chunk.batch.records);
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
        store_batch(name, chunk.batch, chunk.canonical, chunk.packed, chunk.order, state);
        if (progress) progress(state);
        if (chunk.last) break;
        const std::lock_guard lock(mutex);
        spent.push_back(std::move(chunk));
    }
    if (audit_) audit_->append(file_entry(name, before));
}

AuditEntry ImportSession::file_entry(const std::string& name, const ImportSummary& before) const {
    const auto& s = summary_;
    AuditEntry e;
    e.actor = context_.actor;
    e.request_id = context_.request_id;
    e.action = audit_action::import;
    e.categories = {"identity", "identifiers", "address", "qualifications"};
    e.details_json = json::serialize(json::object{
        {"import_id", s.import_id},
        {"format", s.format},
        {"file", name},
        {"received", s.received - before.received},
        {"new", s.created - before.created},
        {"updated", s.updated - before.updated},
        {"unchanged", s.unchanged - before.unchanged},
        {"stale", s.stale - before.stale},
        {"retracted", s.retracted - before.retracted},
        {"rejected", s.rejected - before.rejected},
        {"warnings", s.warning_count - before.warning_count}});
    return e;
}

void ImportSession::store_batch(const std::string& name, connectors::ParseBatch& batch,
                                const std::vector<std::string>& canonical,
                                const std::vector<std::string>& packed,
                                const std::vector<std::uint32_t>& order, ImportProgress& state) {
    for (auto& w : batch.warnings) {
        ++summary_.warning_count;
        if (summary_.warnings.size() < ImportSummary::max_listed) {
            summary_.warnings.push_back({name, w.line, std::move(w.message)});
        }
    }
    for (const auto i : order) {
        const auto upserted = store_.upsert(import_, batch.records[i], name, canonical[i], packed[i]);
        switch (upserted.outcome) {
            case UpsertOutcome::created:
                ++summary_.created;
                changed_.push_back(upserted.record);
                break;
            case UpsertOutcome::updated:
                ++summary_.updated;
                changed_.push_back(upserted.record);
                break;
            case UpsertOutcome::unchanged: ++summary_.unchanged; break;
            case UpsertOutcome::stale: ++summary_.stale; break;
        }
    }
    for (const auto& r : batch.records) {
        ++summary_.received;
        ++state.records;
        if (r.record.is_retracted) ++summary_.retracted;
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
    if (match_) {
        summary_.matching =
            match_changes(store_, *match_, changed_, now, MatchMode::automatic, audit_, context_);
    } else if (!changed_.empty()) {
        store_.invalidate_match_keys();
    }
    enqueue_changes(store_, store_.consented_persons_of_import(import_), "import", now);
    store_.finish_import(import_, now, to_json(summary_));
    transaction_.commit();
    return summary_;
}

ImportSummary import_files(Store& store, const connectors::FormatCatalog& catalog,
                           const std::string& format, const std::string& actor,
                           const std::vector<ImportFile>& files, const ProgressFn& progress,
                           AuditLog* audit, const AuditContext& context,
                           const dedup::MatchSettings* match) {
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
    ImportSession session(store, catalog, format, actor, utc_now(), total, audit, context, match);
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
    if (progress && match) progress(ImportProgress{{}, 0, 0, true});
    return session.commit(utc_now());
}

}  // namespace qreg::registry
