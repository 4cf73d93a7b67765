#include "server_process.h"

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
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

ServerProcess::ServerProcess(const std::filesystem::path& db,
                             const std::filesystem::path& admin_file,
                             std::vector<std::string> extra_args) {
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

}  // namespace parley::testing
