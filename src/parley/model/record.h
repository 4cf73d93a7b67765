// Record: what parties were seen to do or say over time, for learning and forecasting.
//
// A record comes from a session trace, an exported live room (also a trace) or a record file of
// observed offers and statements (docs/record-format.md). Each observation names a party, when
// it happened (a round, a date, and the relative time in [0, 1] between the start and the
// deadline) and what it proposed or accepted: a full outcome, or a position on some issues only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::model {

struct Observation {
  enum class Kind { kOffer, kPosition, kAccept };
  Kind kind = Kind::kOffer;
  std::size_t party_idx = 0;  // index into Scenario::parties
  int round = -1;             // when known
  std::string date;           // YYYY-MM-DD, when known
  double time = 0;            // relative time in [0, 1]
  // One entry per issue: the option index, or -1 where the observation says nothing.
  std::vector<std::int64_t> options;
  std::string source;
  std::string note;

  bool IsComplete() const {
    for (std::int64_t option : options) {
      if (option < 0) return false;
    }
    return true;
  }
};

struct Record {
  std::string title;
  std::string note;           // e.g. "invented for illustration"
  std::string scenario;       // the scenario's path as the record names it (record files)
  int deadline_round = 0;     // 0 when the deadline is a date or unknown
  std::string start_date;     // YYYY-MM-DD, with dates
  std::string deadline_date;  // YYYY-MM-DD, with dates
  std::vector<Observation> observations;  // in time order
  // Traces that ended: whether they reached agreement, and in which round (not used to
  // forecast; kept so a forecast can be checked against what happened).
  std::optional<bool> agreement;
  int end_round = -1;
};

}  // namespace parley::model
