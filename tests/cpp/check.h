// A minimal test harness for the C++ tests: TEST(name) { CHECK(...); }.
// Each executable runs all its tests and exits non-zero if any failed.
#pragma once

#include <cmath>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace check {

struct Case {
  const char* name;
  std::function<void()> fn;
};
inline std::vector<Case>& cases() {
  static std::vector<Case> all;
  return all;
}
inline int& failures() {
  static int n = 0;
  return n;
}
struct Register {
  Register(const char* name, std::function<void()> fn) { cases().push_back({name, std::move(fn)}); }
};

inline int run_all() {
  int failed_cases = 0;
  for (auto& c : cases()) {
    int before = failures();
    try {
      c.fn();
    } catch (const std::exception& e) {
      std::cerr << c.name << ": unexpected exception: " << e.what() << "\n";
      ++failures();
    }
    bool ok = failures() == before;
    failed_cases += ok ? 0 : 1;
    std::cout << (ok ? "[ OK ] " : "[FAIL] ") << c.name << "\n";
  }
  std::cout << (cases().size() - failed_cases) << " passed, " << failed_cases << " failed\n";
  return failed_cases == 0 ? 0 : 1;
}

}  // namespace check

#define CHECK_CONCAT2(a, b) a##b
#define CHECK_CONCAT(a, b) CHECK_CONCAT2(a, b)
#define TEST(name)                                                     \
  static void name();                                                  \
  static ::check::Register CHECK_CONCAT(register_, name)(#name, name); \
  static void name()
#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      std::cerr << __FILE__ << ":" << __LINE__ << ": CHECK(" #cond ") failed\n"; \
      ++::check::failures();                                                     \
    }                                                                            \
  } while (0)
#define CHECK_NEAR(a, b, tol) CHECK(std::fabs(double(a) - double(b)) <= (tol))
#define CHECK_THROWS(stmt)             \
  do {                                 \
    bool threw = false;                \
    try {                              \
      stmt;                            \
    } catch (const ::mxlite::Error&) { \
      threw = true;                    \
    }                                  \
    CHECK(threw);                      \
  } while (0)
// Requires stmt to throw mxlite::Error whose text (op + message) contains `text`.
#define CHECK_THROWS_WITH(stmt, text)                                                                          \
  do {                                                                                                         \
    std::string what_thrown;                                                                                   \
    bool threw = false;                                                                                        \
    try {                                                                                                      \
      stmt;                                                                                                    \
    } catch (const ::mxlite::Error& e) {                                                                       \
      threw = true;                                                                                            \
      what_thrown = e.what();                                                                                  \
    }                                                                                                          \
    CHECK(threw);                                                                                              \
    if (threw && what_thrown.find(text) == std::string::npos) {                                                \
      std::cerr << __FILE__ << ":" << __LINE__ << ": error text \"" << what_thrown << "\" does not contain \"" \
                << (text) << "\"\n";                                                                           \
      ++::check::failures();                                                                                   \
    }                                                                                                          \
  } while (0)
