// Command-line parsing shared by all subcommands: "--name value", "--name=value" and
// boolean "--switch" options, plus positional arguments.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "rubrica/base/status.h"

namespace rubrica::server::cli {

struct ArgSpec {
  std::set<std::string> valued;    // options that take a value, e.g. "--data-dir"
  std::set<std::string> switches;  // boolean options, e.g. "--json"
  bool repeatable_valued = false;  // valued options may repeat (values kept in order)
};

struct Args {
  std::vector<std::string> positional;
  std::multimap<std::string, std::string> values;
  std::set<std::string> switches;

  bool Has(const std::string& name) const { return values.count(name) || switches.count(name); }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> GetAll(const std::string& name) const;
};

/// Fails with cli.usage (kInvalidArgument) on an unknown option or a missing value.
Result<Args> ParseArgs(const std::vector<std::string>& argv, const ArgSpec& spec);

}  // namespace rubrica::server::cli
