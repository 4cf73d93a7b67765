// Starts the real `parley serve` on an ephemeral loopback port for black-box tests, and talks to
// it over HTTP.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
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
  // Whether the process is still alive (it has not exited or crashed).
  bool alive() const;
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  // The process's peak resident memory so far (VmHWM), in bytes; 0 when unknown.
  std::size_t PeakMemoryBytes() const;
  // CPU time (user + system) the process has used so far, in seconds.
  double CpuSeconds() const;
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
  // Every event of a room's log the token may read (all pages), by seq.
  std::map<std::int64_t, nlohmann::json> ReadLog(const std::string& room_id,
                                                 const std::string& token) const;
  // Reads a server-sent event stream until the server ends it; returns the events' data.
  std::vector<nlohmann::json> ReadEvents(const std::string& path_and_query,
                                         const std::string& token, int* status) const;

 private:
  pid_t pid_ = -1;
  int port_ = -1;
  std::string admin_token_;
  std::string output_;
};

// A raw TCP connection to the server, for what an HTTP client library will not send: slow
// headers, oversized or endless chunked bodies, many connections from another loopback address.
class RawConnection {
 public:
  // Connects to 127.0.0.1:port from `source` (any address of 127.0.0.0/8).
  explicit RawConnection(int port, const std::string& source = "127.0.0.1");
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  bool connected() const { return fd_ >= 0; }
  // False once the server has closed or reset the connection.
  bool Send(std::string_view bytes);
  // Reads until `done(received so far)` holds or the server closes the connection. `limit` is a
  // safety net for a broken server, not a synchronisation: a passing run never reaches it.
  std::string ReadUntil(const std::function<bool(const std::string&)>& done,
                        std::chrono::seconds limit = std::chrono::seconds(60));
  // Everything until the server closes the connection.
  std::string ReadToClose(std::chrono::seconds limit = std::chrono::seconds(60));
  // Whether the server has closed the connection (a read returns end of file or a reset).
  bool ClosedByServer(std::chrono::seconds limit = std::chrono::seconds(60));
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// "HTTP/1.1 413 Payload Too Large\r\n..." -> 413; 0 when `response` is not one.
int StatusOf(const std::string& response);
// The body of a complete response with Content-Length, or "" when incomplete.
std::string BodyOf(const std::string& response);
// Whether `response` holds a whole response (head and Content-Length bytes of body).
bool CompleteResponse(const std::string& response);

std::string ReadFile(const std::filesystem::path& path);
std::string CeasefireScenario();
// An outcome of the ceasefire scenario, `ceasefire` on its first issue.
nlohmann::json CeasefireOutcome(const std::string& ceasefire = "time_limited_pause");
// Two integer issues of a million values each: 469 bytes that made one analysis of the old server
// take 32.7 s and 1.07 GB (issue 10, finding 8).
std::string HugeScenario();
// An integer from the environment, or `fallback`.
int EnvInt(const char* name, int fallback);

}  // namespace parley::testing
