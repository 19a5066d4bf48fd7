#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

// The audit log's keys, on OpenSSL 3 (EVP): Ed25519 signatures for tree heads and checkpoints,
// HMAC-SHA256 for person pseudonyms. No OpenSSL type leaves this module.
namespace qreg::audit {

// An Ed25519 private key. Immutable: copies share it, and it may sign on many threads at once.
class SigningKey {
public:
    [[nodiscard]] static SigningKey generate();
    // Throws Error{invalid_input} naming `source` when `pem` is not an Ed25519 private key.
    [[nodiscard]] static SigningKey from_pem(std::string_view pem, std::string_view source);

    [[nodiscard]] std::string to_pem() const;  // PKCS #8
    [[nodiscard]] std::string public_key() const;  // raw, 32 bytes
    [[nodiscard]] std::string sign(std::string_view message) const;  // 64 bytes

private:
    struct Impl;
    explicit SigningKey(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

// True when `signature` is a valid Ed25519 signature of `message` under the raw public key.
[[nodiscard]] bool verify_signature(std::string_view public_key, std::string_view message,
                                    std::string_view signature);

// A raw Ed25519 public key as PEM (SubjectPublicKeyInfo), and back; from_pem throws
// Error{invalid_input} naming `source`.
[[nodiscard]] std::string public_key_to_pem(std::string_view public_key);
[[nodiscard]] std::string public_key_from_pem(std::string_view pem, std::string_view source);

// Cryptographically random bytes.
[[nodiscard]] std::string random_bytes(std::size_t count);

// HMAC-SHA256 under one key, keyed once. Not thread-safe: one per thread.
class Hmac {
public:
    explicit Hmac(std::string_view key);
    ~Hmac();
    Hmac(Hmac&&) noexcept;
    Hmac& operator=(Hmac&&) noexcept;
    Hmac(const Hmac&) = delete;
    Hmac& operator=(const Hmac&) = delete;

    [[nodiscard]] std::string operator()(std::string_view message);  // 32 bytes

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qreg::audit
