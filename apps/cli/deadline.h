// A wall-clock budget for the heavy analysis some commands run (`--time-limit`): a watchdog
// requests the stop token once the time is up, the analysis stops at its next check and returns
// kCancelled, and Explain() turns that into the message the user sees.
#pragma once

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "parley/base/status.h"

namespace parley::cli {

// The default of --time-limit, in seconds (docs/cli.md).
inline constexpr double kDefaultTimeLimitSeconds = 300;

// Adds `--time-limit SECONDS` (0 means none) to `command`.
void AddTimeLimitOption(CLI::App& command, double& seconds);

class Deadline {
 public:
  // Starts counting now; `seconds` <= 0 never expires.
  explicit Deadline(double seconds);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  std::stop_token token() const { return stop_.get_token(); }
  bool expired() const { return stop_.stop_requested(); }

  // `status` unchanged, unless the deadline stopped the work: then kUnsupported (exit code 2)
  // saying that `what` did not finish within the limit and how to get further: raise the limit
  // or `lighten` the work.
  Status Explain(Status status, const std::string& what,
                 const std::string& lighten = "analyse fewer parties (--parties)") const;

 private:
  double seconds_;
  std::stop_source stop_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread watchdog_;
};

}  // namespace parley::cli
