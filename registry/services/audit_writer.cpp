#include "audit_writer.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <iterator>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include "../storage/store.hpp"
#include "import_service.hpp"
#include "../json_text.hpp"
#include "qreg/error.hpp"

namespace json = boost::json;

namespace qreg::registry {

namespace {

std::string system_error(std::string_view what, const std::filesystem::path& file) {
    return fmt::format("{} {}: {}", what, file.string(), std::strerror(errno));
}

const json::value& member(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) {
        throw Error(ErrorCode::invalid_input, fmt::format("audit spool line: no '{}'", key));
    }
    return *v;
}

std::string text(const json::object& o, std::string_view key) {
    const auto& v = member(o, key);
    if (!v.is_string()) {
        throw Error(ErrorCode::invalid_input, fmt::format("audit spool line: '{}' is not text", key));
    }
    return std::string(v.get_string());
}

const json::array& array(const json::object& o, std::string_view key) {
    const auto& v = member(o, key);
    if (!v.is_array()) {
        throw Error(ErrorCode::invalid_input, fmt::format("audit spool line: '{}' is not a list", key));
    }
    return v.get_array();
}

// The same entry as the log's last one: a batch folded before a crash, not yet cleared.
bool same_entry(const StoredAuditEntry& stored, const AuditEntry& e) {
    return stored.time == e.time && stored.actor == e.actor.principal &&
           stored.role == e.actor.role && stored.agency == e.actor.agency &&
           stored.action == e.action && stored.request_id == e.request_id &&
           stored.outcome == e.outcome;
}

}  // namespace

std::string to_spool_line(const AuditEntry& e) {
    // Written directly, not through a value tree: every audited read writes one line.
    std::string line;
    line.reserve(256 + e.details_json.size() + 16 * e.categories.size());
    const auto field = [&](std::string_view key, std::string_view value) {
        line += line.empty() ? '{' : ',';
        append_json_string(line, key);
        line += ':';
        append_json_string(line, value);
    };
    field("time", e.time);
    field("principal", e.actor.principal);
    field("role", e.actor.role);
    field("agency", e.actor.agency);
    field("action", e.action);
    line += ",\"persons\":[";
    for (std::size_t i = 0; i < e.persons.size(); ++i) {
        if (i > 0) line += ',';
        line += std::to_string(e.persons[i]);
    }
    line += "],\"categories\":[";
    for (std::size_t i = 0; i < e.categories.size(); ++i) {
        if (i > 0) line += ',';
        append_json_string(line, e.categories[i]);
    }
    line += ']';
    field("legal_basis", e.legal_basis);
    field("request_id", e.request_id);
    field("outcome", e.outcome);
    field("details", e.details_json);
    line += "}\n";
    return line;
}

AuditEntry from_spool_line(std::string_view line) {
    json::error_code ec;
    const auto parsed = json::parse(line, ec);
    if (ec || !parsed.is_object()) {
        throw Error(ErrorCode::invalid_input, "audit spool line: not a JSON object");
    }
    const auto& o = parsed.get_object();
    AuditEntry e;
    e.time = text(o, "time");
    e.actor = {text(o, "principal"), text(o, "role"), text(o, "agency")};
    e.action = text(o, "action");
    for (const auto& p : array(o, "persons")) {
        if (!p.is_int64()) throw Error(ErrorCode::invalid_input, "audit spool line: a person is not a number");
        e.persons.push_back(p.get_int64());
    }
    for (const auto& c : array(o, "categories")) {
        if (!c.is_string()) throw Error(ErrorCode::invalid_input, "audit spool line: a category is not text");
        e.categories.emplace_back(c.get_string());
    }
    e.legal_basis = text(o, "legal_basis");
    e.request_id = text(o, "request_id");
    e.outcome = text(o, "outcome");
    e.details_json = text(o, "details");
    return e;
}

std::filesystem::path AuditWriter::spool_path(const std::filesystem::path& db) {
    return db.string() + "-audit-spool";
}

struct AuditWriter::Impl {
    using Clock = std::chrono::steady_clock;

    std::filesystem::path db;
    std::filesystem::path spool_file;
    std::filesystem::path folding_file;  // the spool being folded: renamed, then removed
    // The spool that appends move on to at a rotation, created empty before it (see rotate()).
    std::filesystem::path next_file;
    AuditKeys keys;
    AuditSpoolSettings settings;
    int lock_fd = -1;  // holds the lock on `<spool>.lock` for this process's life

    // Request threads append under `mutex`: the line to the spool file, the entry to `spooled`.
    std::mutex mutex;
    std::condition_variable wake;
    int fd = -1;                        // guarded by mutex
    std::vector<AuditEntry> spooled;    // guarded by mutex; written to the spool, not yet folded
    std::vector<std::promise<void>> flushes;  // guarded by mutex
    bool taken = false;  // guarded by mutex: a batch left the spool and is not in the log yet
    bool stopping = false;                    // guarded by mutex
    std::atomic<std::int64_t> folds{0};

    // The folding thread's own.
    std::unique_ptr<Store> store;
    std::unique_ptr<AuditLog> log;
    std::vector<AuditEntry> folding;  // taken from `spooled`, in `folding_file`, not yet in the log
    std::thread thread;

    Impl(std::filesystem::path d, AuditKeys k, AuditSpoolSettings s)
        : db(std::move(d)),
          spool_file(spool_path(db)),
          folding_file(spool_file.string() + ".folding"),
          next_file(spool_file.string() + ".next"),
          keys(std::move(k)),
          settings(s) {
        std::promise<void> started;
        auto ready = started.get_future();
        thread = std::thread([this, &started] { run(started); });
        try {
            ready.get();
        } catch (...) {
            thread.join();
            close_files();
            throw;
        }
    }

    ~Impl() {
        {
            const std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        thread.join();
        close_files();
    }

    void close_files() {
        if (fd >= 0) ::close(fd);
        if (lock_fd >= 0) ::close(lock_fd);
        fd = lock_fd = -1;
    }

    static int open_file(const std::filesystem::path& file, int flags) {
        const int f = ::open(file.c_str(), flags | O_CLOEXEC, 0600);
        if (f < 0) throw Error(ErrorCode::storage, system_error("cannot open the audit spool", file));
        return f;
    }

    void lock_spool() {
        const std::filesystem::path lock_file = spool_file.string() + ".lock";
        lock_fd = open_file(lock_file, O_RDWR | O_CREAT);
        if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
            throw Error(ErrorCode::conflict,
                        fmt::format("another process (a running `qreg serve`?) holds the audit "
                                    "spool {}; one server per database",
                                    spool_file.string()));
        }
    }

    // The entries of a spool file; a torn last line (its write never returned) is left out.
    static std::vector<AuditEntry> read_spool(const std::filesystem::path& file) {
        std::vector<AuditEntry> out;
        std::ifstream in(file, std::ios::binary);
        if (!in) return out;
        const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        std::size_t start = 0;
        std::size_t line_number = 0;
        while (start < content.size()) {
            const auto end = content.find('\n', start);
            if (end == std::string::npos) break;
            ++line_number;
            try {
                out.push_back(from_spool_line(std::string_view(content).substr(start, end - start)));
            } catch (const Error& e) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{} line {}: {}; keep the file, move it aside and start again",
                                        file.string(), line_number, e.what()));
            }
            start = end + 1;
        }
        return out;
    }

    // Appends `entries` to the log unless they are its last entries already (folded before a
    // crash, the file not yet removed).
    void fold_into_log(const std::vector<AuditEntry>& entries, bool maybe_folded) {
        if (entries.empty()) return;
        if (maybe_folded) {
            const auto size = log->size();
            const auto last = size > 0 ? log->entry(size) : std::nullopt;
            if (last && same_entry(*last, entries.back())) return;
        }
        Store::Transaction tx(*store);
        (void)log->append(entries);
        tx.commit();
        ++folds;
    }

    // What a stopped or crashed server left: the file it was folding, its spool, and the spool
    // it had moved on to when it stopped during a rotation (oldest first in every state rotate()
    // passes through).
    void recover() {
        fold_into_log(read_spool(folding_file), true);
        std::filesystem::remove(folding_file);
        for (const auto& file : {spool_file, next_file}) {
            fold_into_log(read_spool(file), false);
            std::filesystem::remove(file);
        }
        fd = open_file(spool_file, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC);
    }

    // Returns how many entries wait to be folded.
    std::size_t append(AuditEntry entry) {
        const auto line = to_spool_line(entry);
        const std::lock_guard lock(mutex);
        std::size_t written = 0;
        while (written < line.size()) {
            const auto n = ::write(fd, line.data() + written, line.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                throw Error(ErrorCode::storage, system_error("cannot write the audit spool", spool_file));
            }
            written += static_cast<std::size_t>(n);
        }
        spooled.push_back(std::move(entry));
        return spooled.size();
    }

    // The spool's entries are taken for folding and appends go on into a new spool. Under
    // `mutex` only descriptors and vectors are swapped: this thread runs at a low priority, and
    // a file operation there (rename, open) kept request threads waiting for milliseconds
    // whenever the scheduler preempted it holding the mutex (p99 latency, bench/RESULTS.md).
    // The new spool is created first as `next_file`; once the swap is made the old spool holds
    // exactly `folding` and becomes the folding file, and the next file the spool.
    void rotate() {
        // O_EXCL: a next file left by a failed rotation still holds acknowledged entries.
        const int next = open_file(next_file, O_WRONLY | O_APPEND | O_CREAT | O_EXCL);
        int previous = -1;
        {
            const std::lock_guard lock(mutex);
            previous = fd;
            fd = next;
            folding.swap(spooled);
            taken = true;
        }
        ::close(previous);
        if (::rename(spool_file.c_str(), folding_file.c_str()) != 0 ||
            ::rename(next_file.c_str(), spool_file.c_str()) != 0) {
            throw Error(ErrorCode::storage, system_error("cannot rotate the audit spool", spool_file));
        }
    }

    void fold_taken() {
        fold_into_log(folding, false);
        folding.clear();
        std::filesystem::remove(folding_file);
        const std::lock_guard lock(mutex);
        taken = false;
    }

    // One round: what an earlier round failed to fold, then the spool.
    void fold_round() {
        if (!folding.empty()) fold_taken();
        {
            const std::lock_guard lock(mutex);
            if (spooled.empty()) return;
        }
        rotate();  // only this thread takes entries out of `spooled`
        fold_taken();
    }

    void run(std::promise<void>& started) {
        // Folding is background work: requests come first on a busy machine (Linux: per thread).
        (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
        (void)::pthread_setname_np(::pthread_self(), "qreg-audit");  // in top -H and perf
        try {
            store = std::make_unique<Store>(db);
            log = std::make_unique<AuditLog>(*store, keys);
            lock_spool();
            recover();
        } catch (...) {
            started.set_exception(std::current_exception());
            return;
        }
        started.set_value();
        for (;;) {
            std::vector<std::promise<void>> waiting;
            bool stop = false;
            {
                std::unique_lock lock(mutex);
                wake.wait_for(lock, settings.fold_interval, [&] {
                    return stopping || !flushes.empty() || spooled.size() >= settings.fold_entries;
                });
                waiting.swap(flushes);
                stop = stopping;
            }
            std::exception_ptr error;
            try {
                fold_round();
            } catch (const std::exception& e) {
                // The entries stay in the folding file and in memory; the next round retries.
                error = std::current_exception();
                fmt::print(stderr, "qreg: audit entries wait in the spool, not yet in the log: {}\n",
                           e.what());
            }
            for (auto& w : waiting) {
                if (error) {
                    w.set_exception(error);
                } else {
                    w.set_value();
                }
            }
            if (stop) {
                const std::lock_guard lock(mutex);
                if (flushes.empty() && (error || (spooled.empty() && folding.empty()))) return;
            }
        }
    }
};

AuditWriter::AuditWriter(std::filesystem::path db, AuditKeys keys, AuditSpoolSettings settings)
    : impl_(std::make_unique<Impl>(std::move(db), std::move(keys), settings)) {}

AuditWriter::~AuditWriter() = default;

void AuditWriter::append(AuditEntry entry) {
    if (entry.time.empty()) entry.time = utc_now();
    // The folding thread wakes by itself each interval; only a full spool calls it early.
    if (impl_->append(std::move(entry)) == impl_->settings.fold_entries) impl_->wake.notify_one();
}

void AuditWriter::flush() {
    std::future<void> done;
    {
        const std::lock_guard lock(impl_->mutex);
        // Nothing waits: every request but reads flushes, most of them with nothing to fold.
        if (impl_->spooled.empty() && !impl_->taken) return;
        impl_->flushes.emplace_back();
        done = impl_->flushes.back().get_future();
    }
    impl_->wake.notify_one();
    done.get();
}

std::int64_t AuditWriter::folds() const { return impl_->folds.load(); }

AuditWriter::Spooled AuditWriter::spooled(const std::filesystem::path& db) {
    Spooled out;
    const auto spool = spool_path(db);
    for (const auto& file : {spool, std::filesystem::path(spool.string() + ".folding"),
                             std::filesystem::path(spool.string() + ".next")}) {
        std::ifstream in(file, std::ios::binary);
        out.entries += std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n');
    }
    const std::filesystem::path lock_file = spool.string() + ".lock";
    const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        out.held_by_server = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
        ::close(fd);
    }
    return out;
}

}  // namespace qreg::registry
