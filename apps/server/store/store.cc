// Choosing the backend from --db, and keeping passwords out of messages.
#include "server/store/store.h"

#include <libpq-fe.h>

#include <memory>
#include <optional>

namespace parley::server {
namespace {

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

bool IsUri(const std::string& db) {
  return StartsWith(db, "postgresql://") || StartsWith(db, "postgres://");
}

constexpr char kHidden[] = "***";

// The password libpq reads from a connection string, if it parses and has one.
std::optional<std::string> PasswordOf(const std::string& db) {
  PQconninfoOption* options = PQconninfoParse(db.c_str(), nullptr);
  if (options == nullptr) return std::nullopt;
  std::optional<std::string> password;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr && std::string(option->keyword) == "password") {
      password = option->val;
    }
  }
  PQconninfoFree(options);
  return password;
}

// The URI with the password of its user information and of a `password=` query parameter
// replaced by "***".
std::string RedactUri(const std::string& uri) {
  std::string out = uri;
  std::size_t authority = out.find("://") + 3;
  std::size_t authority_end = out.find_first_of("/?", authority);
  if (authority_end == std::string::npos) authority_end = out.size();
  std::size_t at = out.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority) {
    std::size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, kHidden);
  }
  std::size_t query = out.find('?');
  while (query != std::string::npos) {
    std::size_t start = query + 1;
    std::size_t end = out.find('&', start);
    if (end == std::string::npos) end = out.size();
    if (out.compare(start, 9, "password=") == 0) {
      out.replace(start + 9, end - start - 9, kHidden);
      end = start + 12;
    }
    query = end < out.size() ? end : std::string::npos;
  }
  return out;
}

}  // namespace

bool IsPostgresConnection(const std::string& db) {
  if (IsUri(db)) return true;
  // libpq's key=value form: only when every key is one libpq knows, so a file named "a=b.db"
  // stays an SQLite path.
  if (db.find('=') == std::string::npos) return false;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(db.c_str(), &error);
  PQfreemem(error);
  if (options == nullptr) return false;
  PQconninfoFree(options);
  return true;
}

std::string RedactConnection(const std::string& db) {
  if (!IsUri(db) && !IsPostgresConnection(db)) return db;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(db.c_str(), nullptr), &PQconninfoFree);
  if (IsUri(db)) {
    // Kept as a URI, so the message reads as typed; libpq then judges the result, and a
    // password it still finds (say under a percent-encoded key) sends us to the pairs below.
    std::string out = RedactUri(db);
    std::optional<std::string> left = PasswordOf(out);
    if (!options || !left || *left == kHidden) return out;
  }
  if (!options) return db;
  // key=value pairs: rebuilt from libpq's parse, so quoting cannot hide a password.
  std::string out;
  for (PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    if (!out.empty()) out += ' ';
    out += option->keyword;
    out += '=';
    out += std::string(option->keyword) == "password" ? kHidden : option->val;
  }
  return out;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& db) {
  if (IsPostgresConnection(db)) return OpenPostgresStore(db);
  return OpenSqliteStore(db);
}

}  // namespace parley::server
