// A push receiver for the end-to-end tests: an agency's HTTPS endpoint on loopback (qreg's own
// server code) that honours Idempotency-Key and can misbehave. Every request is logged as one
// JSON line before it is answered:
//   {"n", "key", "outcome", "headers": {...}, "body"}
// outcome: failed (answered 503), accepted (first time this key), duplicate (key seen before:
// answered 200, not processed again); `late` is added when the answer was held back.
//
//   qreg-test-receiver --cert C --key K --log FILE --port-file FILE [--port P]
//                      [--fail N] [--delay-ms D --delay-count N]
// The first N requests fail; the next delay-count ones are processed at once but answered only
// after D ms (beyond the sender's time-out); the rest are answered at once. Stops on SIGTERM.
#include "http/server.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace http = qreg::registry::http;
namespace json = boost::json;

namespace {

struct Settings {
    std::string cert, key, log, port_file;
    int port = 0;  // 0: any free port
    int fail = 0;
    int delay_ms = 0;
    int delay_count = 0;
};

Settings parse(int argc, char** argv) {
    Settings s;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i], value = argv[i + 1];
        if (name == "--cert")
            s.cert = value;
        else if (name == "--key")
            s.key = value;
        else if (name == "--log")
            s.log = value;
        else if (name == "--port-file")
            s.port_file = value;
        else if (name == "--port")
            s.port = std::stoi(value);
        else if (name == "--fail")
            s.fail = std::stoi(value);
        else if (name == "--delay-ms")
            s.delay_ms = std::stoi(value);
        else if (name == "--delay-count")
            s.delay_count = std::stoi(value);
        else
            throw std::runtime_error("unknown option " + name);
    }
    return s;
}

class Receiver {
public:
    // Keys accepted by an earlier run (the log) stay known: a restart forgets nothing.
    explicit Receiver(Settings s) : s_(std::move(s)) {
        std::ifstream in(s_.log);
        std::string text;
        while (std::getline(in, text)) {
            ++logged_;
            const auto line = json::parse(text).as_object();
            if (line.at("outcome").as_string().starts_with("accepted")) {
                keys_.insert(std::string(line.at("key").as_string()));
            }
        }
    }

    http::Response handle(const http::Request& r) {
        bool late = false;
        std::string outcome;
        {
            const std::lock_guard lock(mutex_);
            const int n = ++count_;
            const auto key = r.header("idempotency-key");
            if (n <= s_.fail) {
                outcome = "failed";
            } else {
                outcome = keys_.insert(key).second ? "accepted" : "duplicate";
                late = n <= s_.fail + s_.delay_count;
            }
            json::object headers;
            for (const auto& [name, value] : r.headers) headers[name] = value;
            const json::object line{{"n", n},
                                    {"key", key},
                                    {"outcome", late ? outcome + " late" : outcome},
                                    {"target", r.target},
                                    {"headers", std::move(headers)},
                                    {"body", r.body}};
            std::ofstream(s_.log, std::ios::app) << json::serialize(line) << "\n";
        }
        if (outcome == "failed") return {503, "text/plain", "try again later", {}};
        if (late) std::this_thread::sleep_for(std::chrono::milliseconds(s_.delay_ms));
        return {200, "application/json", R"({"ok":true})", {}};
    }

private:
    Settings s_;
    std::mutex mutex_;
    int count_ = 0;   // requests to this run: what the mode counts
    int logged_ = 0;  // requests logged by earlier runs
    std::set<std::string> keys_;
};

}  // namespace

int main(int argc, char** argv) {
    try {
        const auto settings = parse(argc, argv);
        Receiver receiver(settings);
        http::ServerOptions o;
        o.host = "127.0.0.1";
        o.port = static_cast<std::uint16_t>(settings.port);
        o.tls_cert = settings.cert;
        o.tls_key = settings.key;
        o.threads = 4;
        o.spool_dir = settings.log + ".spool";
        o.shutdown_grace = std::chrono::seconds(1);
        http::serve(
            o, [&](const http::Request& r) { return receiver.handle(r); },
            [&](std::uint16_t port) {
                const auto tmp = settings.port_file + ".tmp";
                std::ofstream(tmp) << port << "\n";
                std::rename(tmp.c_str(), settings.port_file.c_str());
            });
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "qreg-test-receiver: {}\n", e.what());
        return 1;
    }
}
