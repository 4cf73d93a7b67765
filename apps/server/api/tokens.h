// Access tokens: 32 random bytes from the kernel (getrandom), written as 64 hex digits. The server
// keeps only their SHA-256 (OpenSSL), so a copy of the database does not give access.
#pragma once

#include <cstddef>
#include <string>

namespace parley::server::api {

std::string RandomHex(std::size_t bytes);
inline std::string GenerateToken() { return RandomHex(32); }
std::string HashToken(const std::string& token);  // hex SHA-256

}  // namespace parley::server::api
