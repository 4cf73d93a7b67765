#include "deadline.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace parley::cli {

void AddTimeLimitOption(CLI::App& command, double& seconds) {
  command
      .add_option("--time-limit", seconds,
                  "stop the analysis after this many seconds with a clear error (0 = no limit)")
      ->check(CLI::NonNegativeNumber)
      ->default_val(kDefaultTimeLimitSeconds);
}

Deadline::Deadline(double seconds) : seconds_(seconds) {
  if (!(seconds > 0) || !std::isfinite(seconds)) return;
  watchdog_ = std::jthread([this](std::stop_token finished) {
    std::unique_lock lock(mutex_);
    // Wakes early when the work finishes (the jthread's own stop), else at the deadline.
    wake_.wait_for(lock, finished, std::chrono::duration<double>(seconds_), [] { return false; });
    if (!finished.stop_requested()) stop_.request_stop();
  });
}

Deadline::~Deadline() {
  if (watchdog_.joinable()) {
    watchdog_.request_stop();
    watchdog_.join();
  }
}

Status Deadline::Explain(Status status, const std::string& what, const std::string& lighten) const {
  if (status.ok() || !expired() || status.code() != ErrorCode::kCancelled) return status;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", seconds_);
  return Unsupported(what + " did not finish within --time-limit " + seconds +
                         " s, so nothing was written; the scenario is too large to analyse in "
                         "that time. Raise --time-limit (0 = no limit), or " +
                         lighten,
                     Location::InField("--time-limit"));
}

}  // namespace parley::cli
