// Party: a participant in a negotiation, and the preferences it brings.
//
// Principals negotiate for themselves; mediators relay and propose (and may carry preferences of
// their own, such as valuing agreement or durability); observers watch. A party may be listed but
// disabled (e.g. an optional mediator), so a scenario can switch it on without editing its data.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/model/outcome_space.h"
#include "parley/model/red_line.h"
#include "parley/model/utility.h"

namespace parley::model {

enum class Role { kPrincipal, kMediator, kObserver };

std::string_view RoleName(Role role);  // "principal", "mediator", "observer"
std::optional<Role> ParseRole(std::string_view text);

struct Preferences {
  std::shared_ptr<const UtilityFunction> utility;
  // Utility of walking away without agreement. Absent in a file means none was stated; analysis
  // then treats walking away as worth 0 (GENIUS's default).
  std::optional<double> reservation_value;
  // Set when the reservation was given as an outcome (GeniusWeb's reservationBid, or parley's
  // `reservation: {outcome: ...}`); reservation_value then holds that outcome's utility.
  std::optional<Outcome> reservation_outcome;
  // Discount factor applied per round (parley) or per unit of normalised time (GENIUS); 1 = none.
  double discount = 1.0;
  std::vector<RedLine> red_lines;

  double ReservationOrZero() const { return reservation_value.value_or(0.0); }
  // True when no red line of this party forbids the outcome.
  bool AllowedByRedLines(const Outcome& outcome) const {
    for (const RedLine& red_line : red_lines) {
      if (!red_line.Allows(outcome)) return false;
    }
    return true;
  }
};

struct Party {
  std::string id;
  std::string name;
  std::string description;
  Role role = Role::kPrincipal;
  bool enabled = true;
  std::optional<Preferences> preferences;
  // Where the party came from when imported (a GENIUS or GeniusWeb profile file).
  std::string source_file;
};

}  // namespace parley::model
