#include "qreg/connectors/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>

#include <optional>

#include "qreg/error.hpp"

namespace qreg::connectors {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::string HttpResult::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Impl {
    HttpClientOptions options;
    net::io_context ioc;
    ssl::context tls{ssl::context::tls_client};
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    std::optional<beast::tcp_stream> plain;
    beast::flat_buffer buffer;

    explicit Impl(HttpClientOptions o) : options(std::move(o)) {
        if (options.server_name.empty()) options.server_name = options.host;
        SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
        if (options.verify_peer) {
            tls.set_verify_mode(ssl::verify_peer);
            beast::error_code ec;
            if (options.ca_file.empty()) {
                tls.set_default_verify_paths(ec);
            } else {
                tls.load_verify_file(options.ca_file.string(), ec);
            }
            if (ec) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("cannot load trust anchors {}: {}", options.ca_file.string(),
                                        ec.message()));
            }
        } else {
            tls.set_verify_mode(ssl::verify_none);
        }
    }

    [[noreturn]] void fail(std::string_view what, const beast::error_code& ec) {
        secure.reset();
        plain.reset();
        throw Error(ErrorCode::internal, fmt::format("HTTP {} {}:{}: {}", what, options.host,
                                                     options.port, ec.message()));
    }

    bool connected() const { return secure.has_value() || plain.has_value(); }

    beast::tcp_stream& lowest() {
        return secure ? beast::get_lowest_layer(*secure) : *plain;
    }

    void connect() {
        tcp::resolver resolver(ioc);
        beast::error_code ec;
        const auto endpoints = resolver.resolve(options.host, std::to_string(options.port), ec);
        if (ec) fail("resolve", ec);
        buffer.clear();
        if (options.tls) {
            secure.emplace(ioc, tls);
            if (!SSL_set_tlsext_host_name(secure->native_handle(), options.server_name.c_str())) {
                fail("SNI", beast::error_code(static_cast<int>(::ERR_get_error()),
                                              net::error::get_ssl_category()));
            }
            if (options.verify_peer) secure->set_verify_callback(ssl::host_name_verification(options.server_name));
        } else {
            plain.emplace(ioc);
        }
        lowest().expires_after(options.timeout);
        lowest().connect(endpoints, ec);
        if (ec) fail("connect", ec);
        lowest().socket().set_option(tcp::no_delay(true), ec);
        if (secure) {
            secure->handshake(ssl::stream_base::client, ec);
            if (ec) fail("TLS handshake", ec);
        }
    }

    template <class Body>
    HttpResult exchange(bhttp::request<Body>& req) {
        // Async operations with a deadline: tcp_stream's timeout needs them.
        beast::error_code ec;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(std::uint64_t{1} << 32);
        lowest().expires_after(options.timeout);
        const auto run = [&](auto start) {
            ec = {};
            bool done = false;
            start([&](beast::error_code e, std::size_t) {
                ec = e;
                done = true;
            });
            ioc.restart();
            while (!done && ioc.run_one() > 0) {
            }
        };
        if (secure) {
            run([&](auto handler) { bhttp::async_write(*secure, req, handler); });
        } else {
            run([&](auto handler) { bhttp::async_write(*plain, req, handler); });
        }
        // A server may answer before it has read the whole body (413) and close: read its answer.
        const auto write_error = ec;
        if (secure) {
            run([&](auto handler) { bhttp::async_read(*secure, buffer, parser, handler); });
        } else {
            run([&](auto handler) { bhttp::async_read(*plain, buffer, parser, handler); });
        }
        if (ec) return HttpResult{-1, {}, (write_error ? write_error : ec).message()};
        auto res = parser.release();
        HttpResult out;
        out.status = static_cast<int>(res.result_int());
        for (const auto& f : res) {
            std::string name(f.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            out.headers[name] = std::string(f.value());
        }
        out.body = std::move(res.body());
        if (!res.keep_alive()) {
            secure.reset();
            plain.reset();
        }
        return out;
    }

    template <class Body>
    HttpResult send(bhttp::request<Body>& req, bool can_retry) {
        const bool reused = connected();
        if (!reused) connect();
        auto result = exchange(req);
        if (result.status == -1) {
            const auto why = result.body;
            secure.reset();
            plain.reset();
            if (reused && can_retry) {  // the server closed the kept-alive connection: once more
                connect();
                result = exchange(req);
                if (result.status != -1) return result;
            }
            throw Error(ErrorCode::internal, fmt::format("HTTP request to {}:{} failed: {}",
                                                         options.host, options.port, result.body));
        }
        return result;
    }

    template <class Body>
    void prepare(bhttp::request<Body>& req, const HeaderList& headers) {
        req.set(bhttp::field::host, options.server_name);
        req.set(bhttp::field::user_agent, "qreg");
        req.keep_alive(true);
        for (const auto& [name, value] : headers) req.set(name, value);
        req.prepare_payload();
    }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResult HttpClient::request(std::string_view method, std::string_view target,
                               const HeaderList& headers, std::string_view body) {
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.body() = std::string(body);
    impl_->prepare(req, headers);
    return impl_->send(req, true);
}

HttpResult HttpClient::upload(std::string_view method, std::string_view target,
                              const HeaderList& headers, const std::filesystem::path& body) {
    bhttp::request<bhttp::file_body> req{bhttp::string_to_verb(method), target, 11};
    beast::error_code ec;
    req.body().open(body.c_str(), beast::file_mode::scan, ec);
    if (ec) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("cannot read {}: {}", body.string(), ec.message()));
    }
    impl_->prepare(req, headers);
    return impl_->send(req, false);
}

}  // namespace qreg::connectors
