#include "server/api/tokens.h"

#include <openssl/evp.h>
#include <sys/random.h>

#include <cerrno>
#include <vector>

#include "parley/base/check.h"

namespace parley::server::api {
namespace {

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[data[i] >> 4]);
    text.push_back(kDigits[data[i] & 0xf]);
  }
  return text;
}

}  // namespace

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  std::size_t filled = 0;
  while (filled < bytes) {
    ssize_t got = getrandom(buffer.data() + filled, bytes - filled, 0);
    if (got < 0 && errno == EINTR) continue;
    PARLEY_CHECK(got > 0);  // getrandom never fails on a supported kernel once seeded
    filled += static_cast<std::size_t>(got);
  }
  return Hex(buffer.data(), buffer.size());
}

std::string HashToken(const std::string& token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  PARLEY_CHECK(EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr) == 1);
  return Hex(digest, length);
}

}  // namespace parley::server::api
