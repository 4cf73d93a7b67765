#include "server_process.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "test_support.h"

namespace parley::testing {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string CeasefireScenario() { return ReadFile(SourceDir() + "/examples/ceasefire.yaml"); }

nlohmann::json CeasefireOutcome(const std::string& ceasefire) {
  return nlohmann::json{{"ceasefire", ceasefire},
                        {"withdrawal", "full"},
                        {"linkage", "negotiated_during_phase_one"},
                        {"hostages_released", 25},
                        {"prisoners_released", 800},
                        {"humanitarian_access", "greatly_increased"},
                        {"guarantees", "monitoring_mechanism"}};
}

std::string HugeScenario() {
  return R"(parley: 1
name: huge
issues:
  - {id: a, type: integer, range: [0, 999999]}
  - {id: b, type: integer, range: [0, 999999]}
parties:
  - {id: m, role: mediator}
  - id: x
    role: principal
    preferences:
      weights: {a: 1, b: 1}
      values: {a: {type: linear, at_lower: 0, at_upper: 1}, b: {type: linear, at_lower: 1, at_upper: 0}}
  - id: y
    role: principal
    preferences:
      weights: {a: 1, b: 2}
      values: {a: {type: linear, at_lower: 1, at_upper: 0}, b: {type: linear, at_lower: 0, at_upper: 1}}
)";
}

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::atoi(value) : fallback;
}

std::map<std::int64_t, nlohmann::json> ServerProcess::ReadLog(const std::string& room_id,
                                                              const std::string& token) const {
  std::map<std::int64_t, nlohmann::json> logged;
  for (std::int64_t after = -1;;) {
    HttpReply log =
        Call("GET", "/api/rooms/" + room_id + "/log?after=" + std::to_string(after), token);
    if (log.status != 200) break;
    for (const nlohmann::json& event : log.body["events"]) {
      after = event["seq"];
      logged[after] = event;
    }
    if (!log.body["more"].get<bool>()) break;
  }
  return logged;
}

ServerProcess::ServerProcess(const std::filesystem::path& db,
                             const std::filesystem::path& admin_file,
                             std::vector<std::string> extra_args) {
  // A server may answer 413 and close while a test is still writing a large body: the client's
  // write then fails with EPIPE, which must be an error to check, not a signal that ends the test.
  ::signal(SIGPIPE, SIG_IGN);
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return;
  std::vector<std::string> args = {PARLEY_CLI_PATH,
                                   "serve",
                                   "--db",
                                   db.string(),
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--admin-token-file",
                                   admin_file.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  // Read stdout until the "listening on" line; the rest of the output is not needed.
  std::string line;
  char c;
  while (read(pipe_fds[0], &c, 1) == 1) {
    output_.push_back(c);
    if (c != '\n') {
      line.push_back(c);
      continue;
    }
    std::size_t at = line.find("listening on http://127.0.0.1:");
    if (at != std::string::npos) {
      port_ = std::stoi(line.substr(at + std::string("listening on http://127.0.0.1:").size()));
      break;
    }
    line.clear();
  }
  // Keep draining stdout in the background so the server never blocks on a full pipe.
  int fd = pipe_fds[0];
  std::thread([fd] {
    char buffer[4096];
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
    close(fd);
  }).detach();
  std::string token = ReadFile(admin_file);
  while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) token.pop_back();
  admin_token_ = token;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill(SIGTERM);
}

bool ServerProcess::alive() const {
  if (pid_ <= 0) return false;
  int status = 0;
  return waitpid(pid_, &status, WNOHANG) == 0;
}

std::size_t ServerProcess::PeakMemoryBytes() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

double ServerProcess::CpuSeconds() const {
  std::string stat = ReadFile("/proc/" + std::to_string(pid_) + "/stat");
  std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int field_idx = 3; fields >> field; ++field_idx) {
    if (field_idx == 14 || field_idx == 15) ticks += std::stod(field);  // utime, stime
    if (field_idx == 15) break;
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void ServerProcess::Kill(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

HttpReply ServerProcess::Call(const std::string& method, const std::string& path,
                              const std::string& token, const std::string& body) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto send = [&]() -> httplib::Result {
    if (method == "POST") return client.Post(path, headers, body, "application/json");
    if (method == "PUT") return client.Put(path, headers, body, "application/json");
    if (method == "DELETE") return client.Delete(path, headers);
    return client.Get(path, headers);
  };
  httplib::Result result = send();
  HttpReply reply;
  if (!result) {
    reply.text = "connection failed: " + httplib::to_string(result.error());
    return reply;
  }
  reply.status = result->status;
  reply.text = result->body;
  reply.body = nlohmann::json::parse(result->body, nullptr, false);
  return reply;
}

std::vector<nlohmann::json> ServerProcess::ReadEvents(const std::string& path_and_query,
                                                      const std::string& token, int* status) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  std::string stream;
  auto result = client.Get(path_and_query, headers, [&](const char* data, std::size_t length) {
    stream.append(data, length);
    return true;
  });
  *status = result ? result->status : 0;
  std::vector<nlohmann::json> events;
  std::istringstream lines(stream);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("data: ", 0) == 0) events.push_back(nlohmann::json::parse(line.substr(6)));
  }
  return events;
}

RawConnection::RawConnection(int port, const std::string& source) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    ::close(fd);
    return;
  }
  fd_ = fd;
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

std::string RawConnection::ReadUntil(const std::function<bool(const std::string&)>& done,
                                     std::chrono::seconds limit) {
  std::string received;
  auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[16384];
  while (!done(received)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd entry{fd_, POLLIN, 0};
    if (poll(&entry, 1, static_cast<int>(left.count())) <= 0) break;
    ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    received.append(buffer, static_cast<std::size_t>(got));
  }
  return received;
}

std::string RawConnection::ReadToClose(std::chrono::seconds limit) {
  return ReadUntil([](const std::string&) { return false; }, limit);
}

bool RawConnection::ClosedByServer(std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd entry{fd_, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (poll(&entry, 1, static_cast<int>(std::max<std::int64_t>(1, left.count()))) <= 0) {
      continue;
    }
    ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return true;
  }
  return false;
}

int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

namespace {

std::optional<std::size_t> ContentLength(const std::string& head) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return std::nullopt;
  return std::stoull(head.substr(at + 17));
}

}  // namespace

bool CompleteResponse(const std::string& response) {
  std::size_t end = response.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::optional<std::size_t> length = ContentLength(response.substr(0, end + 2));
  return length && response.size() >= end + 4 + *length;
}

std::string BodyOf(const std::string& response) {
  if (!CompleteResponse(response)) return "";
  std::size_t end = response.find("\r\n\r\n");
  return response.substr(end + 4, *ContentLength(response.substr(0, end + 2)));
}

}  // namespace parley::testing
