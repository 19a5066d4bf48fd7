#include "server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>

#include <atomic>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include <unistd.h>

#include "qreg/error.hpp"
#include "url.hpp"

namespace qreg::registry::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::string Request::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

namespace {

// TLS 1.2 and 1.3 only; for 1.2 only forward-secret AEAD suites.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::string new_request_id() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    return fmt::format("{:016x}", random());
}

void log_line(const std::string& text) { fmt::print(stderr, "qreg serve: {}\n", text); }

// What every session shares: options, the handler, and the shutdown state.
struct ServerState {
    const ServerOptions& options;
    const Handler& handler;
    std::atomic<int> in_flight{0};
    std::atomic<bool> stopping{false};
    std::atomic<std::uint64_t> spool_counter{0};
};

Response call_handler(const Handler& handler, const Request& request) {
    try {
        return handler(request);
    } catch (const std::exception& e) {  // the handler catches its own; this is the last line
        log_line(fmt::format("request {}: {}", request.request_id, e.what()));
        return Response{500, "application/json",
                        R"({"error":"internal","message":"internal error; see the server log"})",
                        {}};
    }
}

Request to_request(const bhttp::request_header<>& header, std::string body,
                   std::filesystem::path body_file, const std::string& remote) {
    Request r;
    r.method = std::string(header.method_string());
    r.target = std::string(header.target());
    const auto q = r.target.find('?');
    r.path = percent_decode(std::string_view(r.target).substr(0, q), false);
    if (q != std::string::npos) r.query = parse_query(std::string_view(r.target).substr(q + 1));
    for (const auto& field : header) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(field.value());
    }
    r.body = std::move(body);
    r.body_file = std::move(body_file);
    r.remote = remote;
    r.request_id = new_request_id();
    return r;
}

// One connection; Derived supplies stream(), do_handshake() and do_eof() (Beast's CRTP pattern
// from the advanced_server_flex example).
template <class Derived>
class Session {
public:
    Session(ServerState& state, std::string remote) : state_(state), remote_(std::move(remote)) {}

protected:
    void do_read() {
        header_parser_.emplace();
        header_parser_->header_limit(static_cast<std::uint32_t>(state_.options.max_header_bytes));
        // The body's limit is set once we know where it goes (memory or a spool file).
        header_parser_->body_limit(boost::none);
        beast::get_lowest_layer(derived().stream()).expires_after(state_.options.read_timeout);
        bhttp::async_read_header(derived().stream(), buffer_, *header_parser_,
                                 beast::bind_front_handler(&Session::on_read_header,
                                                           derived().shared_from_this()));
    }

private:
    Derived& derived() { return static_cast<Derived&>(*this); }

    void on_read_header(beast::error_code ec, std::size_t) {
        if (ec == bhttp::error::end_of_stream) return derived().do_eof();
        if (ec == bhttp::error::header_limit) return reply_and_close(431, "header too large");
        if (ec) return;  // timeout or reset: nobody to answer
        ++state_.in_flight;
        counted_ = true;
        const auto& header = header_parser_->get();
        const std::string_view target(header.target().data(), header.target().size());
        const auto& prefix = state_.options.spooled_path_prefix;
        spooled_ = !prefix.empty() && target.starts_with(prefix) &&
                   header.method() != bhttp::verb::get;
        if (beast::iequals(header[bhttp::field::expect], "100-continue")) {
            auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(
                bhttp::status::continue_, header.version());
            return bhttp::async_write(
                derived().stream(), *cont,
                [self = derived().shared_from_this(), cont](beast::error_code wec, std::size_t) {
                    if (wec) return self->finish_request();
                    self->read_body();
                });
        }
        read_body();
    }

    void read_body() {
        auto& lowest = beast::get_lowest_layer(derived().stream());
        if (spooled_) {
            file_parser_.emplace(std::move(*header_parser_));
            file_parser_->body_limit(state_.options.max_spooled_body_bytes);
            spool_file_ = state_.options.spool_dir /
                          fmt::format("upload-{}-{}.part", ::getpid(), ++state_.spool_counter);
            beast::error_code ec;
            file_parser_->get().body().open(spool_file_.c_str(), beast::file_mode::write, ec);
            if (ec) {
                log_line(fmt::format("cannot create spool file {}: {}", spool_file_.string(),
                                     ec.message()));
                spool_file_.clear();
                return reply_and_close(500, "cannot store the upload; see the server log");
            }
            lowest.expires_after(state_.options.upload_timeout);
            bhttp::async_read(derived().stream(), buffer_, *file_parser_,
                              beast::bind_front_handler(&Session::on_read_body,
                                                        derived().shared_from_this()));
        } else {
            // A body somewhat over the limit is read and dropped so that the client, still
            // sending, reads the 413 instead of a connection reset.
            const auto length = header_parser_->content_length();
            too_large_ = length && *length > state_.options.max_body_bytes &&
                         *length <= discard_limit;
            string_parser_.emplace(std::move(*header_parser_));
            string_parser_->body_limit(too_large_ ? discard_limit : state_.options.max_body_bytes);
            lowest.expires_after(state_.options.read_timeout);
            bhttp::async_read(derived().stream(), buffer_, *string_parser_,
                              beast::bind_front_handler(&Session::on_read_body,
                                                        derived().shared_from_this()));
        }
    }

    void on_read_body(beast::error_code ec, std::size_t) {
        if (ec == bhttp::error::body_limit || (!ec && too_large_)) {
            too_large_ = false;
            return reply_and_close(413, fmt::format("request body over the limit of {} bytes",
                                                    state_.options.max_body_bytes));
        }
        if (ec) return finish_request();
        Request request;
        bool keep_alive = false;
        unsigned version = 11;
        if (spooled_) {
            file_parser_->get().body().close();
            keep_alive = file_parser_->get().keep_alive();
            version = file_parser_->get().version();
            request = to_request(file_parser_->get().base(), {}, spool_file_, remote_);
        } else {
            keep_alive = string_parser_->get().keep_alive();
            version = string_parser_->get().version();
            auto message = string_parser_->release();
            request = to_request(message.base(), std::move(message.body()), {}, remote_);
        }
        auto response = call_handler(state_.handler, request);
        respond(std::move(response), request.request_id, version,
                keep_alive && !state_.stopping);
    }

    void reply_and_close(int status, const std::string& message) {
        Response r{status, "application/json",
                   fmt::format(R"({{"error":"{}","message":"{}"}})",
                               status == 413 ? "payload_too_large"
                               : status == 431 ? "header_too_large"
                                               : "internal",
                               message),
                   {}};
        respond(std::move(r), new_request_id(), 11, false);
    }

    void respond(Response r, const std::string& request_id, unsigned version, bool keep_alive) {
        auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
            static_cast<bhttp::status>(r.status), version);
        res->set(bhttp::field::server, "qreg");
        res->set(bhttp::field::content_type, r.content_type);
        res->set("X-Request-Id", request_id);
        res->set("X-Content-Type-Options", "nosniff");
        res->set(bhttp::field::cache_control, "no-store");
        for (auto& [name, value] : r.headers) res->set(name, value);
        res->body() = std::move(r.body);
        res->keep_alive(keep_alive);
        res->prepare_payload();
        beast::get_lowest_layer(derived().stream()).expires_after(state_.options.read_timeout);
        bhttp::async_write(derived().stream(), *res,
                           [self = derived().shared_from_this(), res](beast::error_code ec,
                                                                      std::size_t) {
                               self->on_write(ec, res->keep_alive());
                           });
    }

    void on_write(beast::error_code ec, bool keep_alive) {
        finish_request();
        if (ec) return;
        if (!keep_alive) return derived().do_eof();
        do_read();
    }

    void finish_request() {
        if (!spool_file_.empty()) {
            std::error_code ignored;  // the file may never have been written
            std::filesystem::remove(spool_file_, ignored);
            spool_file_.clear();
        }
        file_parser_.reset();
        string_parser_.reset();
        if (counted_) --state_.in_flight;
        counted_ = false;
    }

protected:
    ServerState& state_;

private:
    std::string remote_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
    std::optional<bhttp::request_parser<bhttp::string_body>> string_parser_;
    std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;
    std::filesystem::path spool_file_;
    bool spooled_ = false;
    bool counted_ = false;
    bool too_large_ = false;
    static constexpr std::uint64_t discard_limit = 8 << 20;

public:
    ~Session() { finish_request(); }
};

class PlainSession : public Session<PlainSession>,
                     public std::enable_shared_from_this<PlainSession> {
public:
    PlainSession(ServerState& state, tcp::socket&& socket, std::string remote)
        : Session(state, std::move(remote)), stream_(std::move(socket)) {}
    void run() { do_read(); }
    beast::tcp_stream& stream() { return stream_; }
    void do_eof() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

private:
    beast::tcp_stream stream_;
};

class TlsSession : public Session<TlsSession>, public std::enable_shared_from_this<TlsSession> {
public:
    TlsSession(ServerState& state, tcp::socket&& socket, ssl::context& ctx, std::string remote)
        : Session(state, std::move(remote)), stream_(std::move(socket), ctx) {}
    void run() {
        beast::get_lowest_layer(stream_).expires_after(state_.options.read_timeout);
        stream_.async_handshake(ssl::stream_base::server,
                                [self = shared_from_this()](beast::error_code ec) {
                                    if (!ec) self->do_read();
                                });
    }
    beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
    void do_eof() {
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
        stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
    }

private:
    beast::ssl_stream<beast::tcp_stream> stream_;
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(net::io_context& ioc, ServerState& state, ssl::context* tls, const tcp::endpoint& at)
        : ioc_(ioc), state_(state), tls_(tls), acceptor_(net::make_strand(ioc)) {
        beast::error_code ec;
        acceptor_.open(at.protocol(), ec);
        if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(at, ec);
        if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
        if (ec) {
            throw Error(ErrorCode::internal,
                        fmt::format("cannot listen on {}:{}: {}", at.address().to_string(),
                                    at.port(), ec.message()));
        }
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    void run() { do_accept(); }
    void stop() {
        net::post(acceptor_.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->acceptor_.close(ec);
        });
    }

private:
    void do_accept() {
        acceptor_.async_accept(net::make_strand(ioc_),
                               beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
    }
    void on_accept(beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
        if (!ec) {
            beast::error_code rec;
            const auto peer = socket.remote_endpoint(rec);
            std::string remote = rec ? std::string("?") : peer.address().to_string();
            socket.set_option(tcp::no_delay(true), rec);
            if (tls_) {
                std::make_shared<TlsSession>(state_, std::move(socket), *tls_, std::move(remote))
                    ->run();
            } else {
                std::make_shared<PlainSession>(state_, std::move(socket), std::move(remote))
                    ->run();
            }
        }
        do_accept();
    }

    net::io_context& ioc_;
    ServerState& state_;
    ssl::context* tls_;
    tcp::acceptor acceptor_;
};

std::unique_ptr<ssl::context> make_tls_context(const ServerOptions& o) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                     ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(ctx->native_handle(), tls12_ciphers);
    beast::error_code ec;
    ctx->use_certificate_chain_file(o.tls_cert.string(), ec);
    if (ec) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("cannot read the TLS certificate {} ({}); give a PEM file to "
                                "--tls-cert",
                                o.tls_cert.string(), ec.message()));
    }
    ctx->use_private_key_file(o.tls_key.string(), ssl::context::pem, ec);
    if (ec) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("cannot read the TLS key {} or it does not belong to the "
                                "certificate ({}); give a PEM file to --tls-key",
                                o.tls_key.string(), ec.message()));
    }
    return ctx;
}

}  // namespace

void serve(const ServerOptions& options, const Handler& handler,
           const std::function<void(std::uint16_t port)>& on_ready) {
    std::unique_ptr<ssl::context> tls;
    if (!options.insecure_http) tls = make_tls_context(options);
    std::filesystem::create_directories(options.spool_dir);

    net::io_context ioc{static_cast<int>(options.threads)};
    ServerState state{options, handler};
    beast::error_code ec;
    const auto address = net::ip::make_address(options.host, ec);
    if (ec) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("--listen: '{}' is not an IP address", options.host));
    }
    auto listener =
        std::make_shared<Listener>(ioc, state, tls.get(), tcp::endpoint{address, options.port});
    listener->run();

    // SIGTERM / SIGINT: stop accepting, wait for requests in flight, then stop.
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    net::steady_timer drain(ioc);
    const auto deadline_of = [&] { return std::chrono::steady_clock::now() + options.shutdown_grace; };
    std::chrono::steady_clock::time_point deadline{};
    std::function<void()> wait_drained = [&] {
        if (state.in_flight == 0 || std::chrono::steady_clock::now() >= deadline) {
            log_line(state.in_flight == 0 ? "stopped"
                                          : "stopped with requests still in flight");
            ioc.stop();
            return;
        }
        drain.expires_after(std::chrono::milliseconds(50));
        drain.async_wait([&](beast::error_code) { wait_drained(); });
    };
    signals.async_wait([&](beast::error_code sec, int signal) {
        if (sec) return;
        log_line(fmt::format("signal {}: no new connections; finishing requests in flight",
                             signal));
        state.stopping = true;
        deadline = deadline_of();
        listener->stop();
        wait_drained();
    });

    if (on_ready) on_ready(listener->port());
    std::vector<std::thread> workers;
    for (unsigned i = 1; i < options.threads; ++i) workers.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : workers) t.join();
}

}  // namespace qreg::registry::http
