#include "crypto.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "openssl.hpp"
#include "qreg/error.hpp"

namespace qreg::audit {

namespace {

using ossl::Bio;
using ossl::MdCtx;
using ossl::Pkey;
using ossl::PkeyCtx;

constexpr std::size_t public_key_bytes = 32;
constexpr std::size_t signature_bytes = 64;

[[noreturn]] void throw_openssl(const char* what, ErrorCode code = ErrorCode::internal) {
    char reason[256] = {};
    ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
    ERR_clear_error();
    throw Error(code, fmt::format("{}: {}", what, reason));
}

Bio memory_bio(std::string_view text) {
    Bio bio{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
    if (!bio) throw_openssl("cannot allocate a memory BIO");
    return bio;
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

Pkey raw_public(std::string_view public_key) {
    if (public_key.size() != public_key_bytes) return nullptr;
    return Pkey{EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()),
        public_key.size())};
}

// Reads a PEM key (private or public) and insists on Ed25519; errors name `source`.
Pkey read_ed25519_pem(std::string_view pem, std::string_view source, bool is_private) {
    ERR_clear_error();
    const auto bio = memory_bio(pem);
    Pkey key{is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                        : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr)};
    if (!key) {
        throw_openssl(fmt::format("{} is not a PEM {} key", source, is_private ? "private" : "public")
                          .c_str(),
                      ErrorCode::invalid_input);
    }
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519) {
        throw Error(ErrorCode::invalid_input, fmt::format("{} is not an Ed25519 key", source));
    }
    return key;
}

std::string raw_public_of(EVP_PKEY* key) {
    std::string out(public_key_bytes, '\0');
    std::size_t size = out.size();
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(out.data()), &size) != 1 ||
        size != public_key_bytes) {
        throw_openssl("cannot read the Ed25519 public key");
    }
    return out;
}

}  // namespace

struct SigningKey::Impl {
    Pkey key;
};

SigningKey::SigningKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

SigningKey SigningKey::generate() {
    ERR_clear_error();
    PkeyCtx ctx{EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr)};
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) throw_openssl("cannot set up Ed25519 keygen");
    EVP_PKEY* raw = nullptr;
    const int rc = EVP_PKEY_keygen(ctx.get(), &raw);
    Pkey key{raw};
    if (rc != 1) throw_openssl("cannot generate an Ed25519 key");
    return SigningKey(std::make_shared<const Impl>(Impl{std::move(key)}));
}

SigningKey SigningKey::from_pem(std::string_view pem, std::string_view source) {
    return SigningKey(
        std::make_shared<const Impl>(Impl{read_ed25519_pem(pem, source, /*is_private=*/true)}));
}

std::string SigningKey::to_pem() const {
    ERR_clear_error();
    Bio bio{BIO_new(BIO_s_mem())};
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1) {
        throw_openssl("cannot write the Ed25519 key as PEM");
    }
    return bio_text(bio.get());
}

std::string SigningKey::public_key() const { return raw_public_of(impl_->key.get()); }

std::string SigningKey::sign(std::string_view message) const {
    ERR_clear_error();
    MdCtx ctx{EVP_MD_CTX_new()};
    // Ed25519 hashes internally: no digest is named, and the message goes in one piece.
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1) {
        throw_openssl("cannot set up an Ed25519 signature");
    }
    std::string out(signature_bytes, '\0');
    std::size_t size = out.size();
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &size,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
        size != signature_bytes) {
        throw_openssl("Ed25519 signing failed");
    }
    return out;
}

bool verify_signature(std::string_view public_key, std::string_view message,
                      std::string_view signature) {
    ERR_clear_error();
    const auto key = raw_public(public_key);
    if (!key || signature.size() != signature_bytes) return false;
    MdCtx ctx{EVP_MD_CTX_new()};
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
        throw_openssl("cannot set up an Ed25519 verification");
    }
    const int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                    signature.size(),
                                    reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size());
    ERR_clear_error();  // a bad signature leaves an entry in the queue
    return rc == 1;
}

std::string public_key_to_pem(std::string_view public_key) {
    ERR_clear_error();
    const auto key = raw_public(public_key);
    if (!key) throw_openssl("not an Ed25519 public key");
    Bio bio{BIO_new(BIO_s_mem())};
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) {
        throw_openssl("cannot write the public key as PEM");
    }
    return bio_text(bio.get());
}

std::string public_key_from_pem(std::string_view pem, std::string_view source) {
    return raw_public_of(read_ed25519_pem(pem, source, /*is_private=*/false).get());
}

std::string random_bytes(std::size_t count) {
    std::string out(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
        throw_openssl("no random bytes");
    }
    return out;
}

struct Hmac::Impl {
    ossl::MacCtx ctx;
};

Hmac::Hmac(std::string_view key) : impl_(std::make_unique<Impl>()) {
    ERR_clear_error();
    const ossl::Mac mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
    if (!mac) throw_openssl("OpenSSL has no HMAC");
    impl_->ctx.reset(EVP_MAC_CTX_new(mac.get()));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    if (!impl_->ctx || EVP_MAC_init(impl_->ctx.get(), reinterpret_cast<const unsigned char*>(key.data()),
                                    key.size(), params) != 1) {
        throw_openssl("cannot key HMAC-SHA256");
    }
}

Hmac::~Hmac() = default;
Hmac::Hmac(Hmac&&) noexcept = default;
Hmac& Hmac::operator=(Hmac&&) noexcept = default;

std::string Hmac::operator()(std::string_view message) {
    auto* ctx = impl_->ctx.get();
    std::string out(32, '\0');
    std::size_t size = 0;
    // Initialising without a key starts a new MAC under the key already set: no new key schedule.
    if (EVP_MAC_init(ctx, nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
        EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &size, out.size()) != 1 ||
        size != out.size()) {
        throw_openssl("HMAC-SHA256 failed");
    }
    return out;
}

}  // namespace qreg::audit
