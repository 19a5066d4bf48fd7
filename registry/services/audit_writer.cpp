#include "audit_writer.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "../storage/store.hpp"

namespace qreg::registry {

struct AuditWriter::Impl {
    struct Pending {
        AuditEntry entry;
        std::promise<std::int64_t> done;
    };

    std::filesystem::path db;
    AuditKeys keys;
    std::size_t max_batch;
    std::chrono::microseconds window;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Pending> queue;
    bool stopping = false;
    std::atomic<std::int64_t> batches{0};
    std::exception_ptr open_error;  // the connection could not be opened: every append fails
    std::thread thread;

    Impl(std::filesystem::path d, AuditKeys k, std::size_t m, std::chrono::microseconds w)
        : db(std::move(d)), keys(std::move(k)), max_batch(m == 0 ? 1 : m), window(w) {
        thread = std::thread([this] { run(); });
    }

    ~Impl() {
        {
            const std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        thread.join();
    }

    std::vector<Pending> next_batch() {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !queue.empty(); });
        // Let the batch fill for a moment: each commit costs the readers their page caches.
        if (window.count() > 0) {
            wake.wait_for(lock, window, [&] { return stopping || queue.size() >= max_batch; });
        }
        std::vector<Pending> batch;
        while (!queue.empty() && batch.size() < max_batch) {
            batch.push_back(std::move(queue.front()));
            queue.pop_front();
        }
        return batch;
    }

    static void fail(std::vector<Pending>& batch, const std::exception_ptr& error) {
        for (auto& p : batch) p.done.set_exception(error);
    }

    void write(Store& store, AuditLog& log, std::vector<Pending>& batch) {
        std::vector<AuditEntry> entries;
        entries.reserve(batch.size());
        for (auto& p : batch) entries.push_back(std::move(p.entry));
        std::int64_t last = 0;
        try {
            Store::Transaction tx(store);
            last = log.append(entries);
            tx.commit();
        } catch (...) {
            fail(batch, std::current_exception());
            return;
        }
        ++batches;
        auto seq = last - static_cast<std::int64_t>(batch.size());
        for (auto& p : batch) p.done.set_value(++seq);
    }

    void run() {
        std::unique_ptr<Store> store;
        std::unique_ptr<AuditLog> log;
        try {
            store = std::make_unique<Store>(db);
            log = std::make_unique<AuditLog>(*store, keys);
        } catch (...) {
            const std::lock_guard lock(mutex);
            open_error = std::current_exception();
        }
        for (;;) {
            auto batch = next_batch();
            if (batch.empty()) return;  // stopping, and nothing is left
            if (log) {
                write(*store, *log, batch);
            } else {
                fail(batch, open_error);
            }
        }
    }
};

AuditWriter::AuditWriter(std::filesystem::path db, AuditKeys keys, std::chrono::microseconds window,
                         std::size_t max_batch)
    : impl_(std::make_unique<Impl>(std::move(db), std::move(keys), max_batch, window)) {}

AuditWriter::~AuditWriter() = default;

std::int64_t AuditWriter::append(AuditEntry entry) {
    std::future<std::int64_t> done;
    {
        const std::lock_guard lock(impl_->mutex);
        impl_->queue.push_back({std::move(entry), {}});
        done = impl_->queue.back().done.get_future();
    }
    impl_->wake.notify_one();
    return done.get();
}

std::int64_t AuditWriter::batches() const { return impl_->batches.load(); }

}  // namespace qreg::registry
