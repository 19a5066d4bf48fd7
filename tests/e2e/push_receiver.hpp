#pragma once

// An agency's push endpoint for end-to-end tests: the qreg-test-receiver process (real HTTPS
// on loopback with the test certificate), and what it logged.
#include "e2e/server_fixture.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace qreg::test {

inline const std::string receiver_bin = QREG_TEST_RECEIVER;

struct ReceiverMode {
    int fail = 0;         // the first requests answered 503
    int delay_ms = 0;     // then this many ms before answering ...
    int delay_count = 0;  // ... that many requests (processed, answered late)
};

// One request as the receiver saw it.
struct Received {
    std::int64_t n = 0;
    std::string key;
    std::string outcome;  // failed, accepted, duplicate; with " late" when held back
    std::string target;
    boost::json::object headers;
    std::string body;

    [[nodiscard]] std::string header(const std::string& lower_name) const {
        const auto* v = headers.if_contains(lower_name);
        return v ? std::string(v->as_string()) : std::string();
    }
};

class PushReceiver {
public:
    PushReceiver(const RunningServer& server, ReceiverMode mode, std::string name = "receiver")
        : server_(server),
          mode_(mode),
          log_(server.dir() / (name + ".log")),
          port_file_(server.dir() / (name + ".port")) {
        start();
    }
    ~PushReceiver() {
        if (pid_ > 0) stop();
    }
    PushReceiver(const PushReceiver&) = delete;
    PushReceiver& operator=(const PushReceiver&) = delete;

    [[nodiscard]] std::string url(const std::string& path = "/qreg/push") const {
        return "https://localhost:" + std::to_string(port_) + path;
    }

    void stop() {
        kill(pid_, SIGTERM);
        (void)wait_process(pid_);
        pid_ = -1;
    }

    // Starts again on the same port, with a new mode; the keys it accepted are remembered (from
    // its log), as an agency's endpoint would.
    void start(std::optional<ReceiverMode> mode = std::nullopt) {
        if (mode) mode_ = *mode;
        std::filesystem::remove(port_file_);
        pid_ = start_process(
            {receiver_bin, "--cert", server_.cert_file(), "--key", server_.key_file(), "--log",
             log_.string(), "--port-file", port_file_.string(), "--port", std::to_string(port_),
             "--fail", std::to_string(mode_.fail), "--delay-ms", std::to_string(mode_.delay_ms),
             "--delay-count", std::to_string(mode_.delay_count)},
            (server_.dir() / "receiver.err").string());
        for (int i = 0; i < 200 && !std::filesystem::exists(port_file_); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        REQUIRE(std::filesystem::exists(port_file_));
        port_ = static_cast<std::uint16_t>(std::stoi(read_file(port_file_.string())));
    }

    [[nodiscard]] std::vector<Received> requests() const {
        std::vector<Received> out;
        std::ifstream in(log_);
        std::string line;
        while (std::getline(in, line)) {
            const auto o = boost::json::parse(line).as_object();
            Received r;
            r.n = o.at("n").as_int64();
            r.key = std::string(o.at("key").as_string());
            r.outcome = std::string(o.at("outcome").as_string());
            r.target = std::string(o.at("target").as_string());
            r.headers = o.at("headers").as_object();
            r.body = std::string(o.at("body").as_string());
            out.push_back(std::move(r));
        }
        return out;
    }

    // The requests processed (first time of their key), in order of arrival.
    [[nodiscard]] std::vector<Received> accepted() const {
        std::vector<Received> out;
        for (auto& r : requests()) {
            if (r.outcome.starts_with("accepted")) out.push_back(std::move(r));
        }
        return out;
    }

private:
    const RunningServer& server_;
    ReceiverMode mode_;
    std::filesystem::path log_;
    std::filesystem::path port_file_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

// Polls `done` every 50 ms for up to `seconds`; true once it holds.
inline bool eventually(const std::function<bool()>& done, int seconds = 30) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

}  // namespace qreg::test
