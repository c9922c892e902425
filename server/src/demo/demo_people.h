// The demo's fictional people: a Zamora-shaped STM (five seats, each with a titular and a
// substitute), the facilitator, and the two authorities who subscribe the installation
// acta. Names and positions match the fixture actas the demo signs; none is a real person.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rubrica/lang/gender.h"

namespace rubrica::server::demo {

struct DemoPerson {
  const char* name;
  const char* title;             // position, printed under the name
  const char* email;
  const char* certificate_role;  // the certificate's title attribute
  lang::Gender gender;
};

struct DemoSeat {
  const char* member_type;  // StmTemplate code
  const char* represents;
  DemoPerson titular;
  DemoPerson substitute;
};

struct SeatIds {
  std::string member_type;
  int64_t seat;
  int64_t titular;
  int64_t substitute;
};

const std::vector<DemoSeat>& DemoSeats();
const DemoPerson& DemoFacilitator();
const std::vector<DemoPerson>& DemoSubscribers();

}  // namespace rubrica::server::demo
