// The baseline for bench/serve_bench.sh: qreg's own Beast transport (TLS, keep-alive, the same
// threads) answering every request with a fixed small JSON body, no authentication, no database.
// What qreg serves on top of this is the cost of its handlers.
#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "http/server.hpp"

int main(int argc, char** argv) {
    if (argc != 5) {
        fmt::print(stderr, "usage: qreg-bench-bare-server PORT CERT KEY THREADS\n");
        return 2;
    }
    qreg::registry::http::ServerOptions o;
    o.port = static_cast<std::uint16_t>(std::atoi(argv[1]));
    o.tls_cert = argv[2];
    o.tls_key = argv[3];
    o.threads = static_cast<unsigned>(std::atoi(argv[4]));
    o.spool_dir = "/tmp";
    const std::string body = R"({"status":"ok"})";
    qreg::registry::http::serve(o, [&](const qreg::registry::http::Request&) {
        return qreg::registry::http::Response{200, "application/json", body, {}};
    });
    return 0;
}
