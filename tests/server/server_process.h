// Starts the real `parley serve` on an ephemeral loopback port for black-box tests, and talks to
// it over HTTP.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace parley::testing {

struct HttpReply {
  int status = 0;  // 0 when the connection failed
  nlohmann::json body;
  std::string text;
};

class ServerProcess {
 public:
  // Starts `parley serve --db DB --listen 127.0.0.1:0 --admin-token-file DIR/admin` and waits
  // for it to print the bound port.
  ServerProcess(const std::filesystem::path& db, const std::filesystem::path& admin_file,
                std::vector<std::string> extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool running() const { return pid_ > 0 && port_ > 0; }
  int port() const { return port_; }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& output() const { return output_; }
  // Sends `signal` and waits for the process to end.
  void Kill(int signal);

  HttpReply Call(const std::string& method, const std::string& path, const std::string& token,
                 const std::string& body = "") const;
  HttpReply Call(const std::string& method, const std::string& path, const std::string& token,
                 const nlohmann::json& body) const {
    return Call(method, path, token, body.dump());
  }
  // Reads a server-sent event stream until the server ends it; returns the events' data.
  std::vector<nlohmann::json> ReadEvents(const std::string& path_and_query,
                                         const std::string& token, int* status) const;

 private:
  pid_t pid_ = -1;
  int port_ = -1;
  std::string admin_token_;
  std::string output_;
};

std::string ReadFile(const std::filesystem::path& path);
std::string CeasefireScenario();

}  // namespace parley::testing
