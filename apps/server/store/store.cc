// Choosing the backend from --db, and keeping passwords out of messages.
#include "server/store/store.h"

#include <libpq-fe.h>

namespace parley::server {
namespace {

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

bool IsUri(const std::string& db) {
  return StartsWith(db, "postgresql://") || StartsWith(db, "postgres://");
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
  if (IsUri(db)) {
    std::string out = db;
    std::size_t authority = out.find("://") + 3;
    std::size_t authority_end = out.find_first_of("/?", authority);
    if (authority_end == std::string::npos) authority_end = out.size();
    std::size_t at = out.rfind('@', authority_end);
    if (at != std::string::npos && at >= authority) {
      std::size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    std::size_t query = out.find('?');
    while (query != std::string::npos) {
      std::size_t start = query + 1;
      std::size_t end = out.find('&', start);
      if (end == std::string::npos) end = out.size();
      if (out.compare(start, 9, "password=") == 0) {
        out.replace(start + 9, end - start - 9, "***");
        end = start + 12;
      }
      query = end < out.size() ? end : std::string::npos;
    }
    return out;
  }
  if (!IsPostgresConnection(db)) return db;
  // key=value pairs: rebuilt from libpq's parse, so quoting cannot hide a password.
  PQconninfoOption* options = PQconninfoParse(db.c_str(), nullptr);
  if (options == nullptr) return db;
  std::string out;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    if (!out.empty()) out += ' ';
    out += option->keyword;
    out += '=';
    out += std::string(option->keyword) == "password" ? "***" : option->val;
  }
  PQconninfoFree(options);
  return out;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& db) {
  if (IsPostgresConnection(db)) return OpenPostgresStore(db);
  return OpenSqliteStore(db);
}

}  // namespace parley::server
