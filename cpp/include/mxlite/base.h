// mxlite: errors and checks shared by the whole engine.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace mxlite {

/// Every failure the engine reports: the op involved (may be empty) and a
/// message that names the shapes and dtypes at fault.
class Error : public std::runtime_error {
 public:
  Error(std::string op, const std::string& message)
      : std::runtime_error(op.empty() ? message : op + ": " + message), op_(std::move(op)), message_(message) {}
  const std::string& op() const { return op_; }
  /// The message without the op prefix.
  const std::string& message() const { return message_; }

 private:
  std::string op_;
  std::string message_;
};

/// An index outside an axis. Python sees it as both MXNetError and IndexError,
/// so iteration over an array stops where NumPy's would.
class IndexError : public Error {
 public:
  using Error::Error;
};

/// Errors that Python also sees as the built-in exception NumPy raises for the
/// same mistake (each is an mxnet.base.MXNetError too): a bad value (array too
/// big, negative count), an operand of the wrong type or dtype, a number out of
/// range for a dtype, and a failed allocation.
class ValueError : public Error {
 public:
  using Error::Error;
};
class TypeError : public Error {
 public:
  using Error::Error;
};
class OverflowError : public Error {
 public:
  using Error::Error;
};
class OutOfMemoryError : public Error {
 public:
  using Error::Error;
};
/// An axis outside an array's dimensions: like NumPy's AxisError, Python sees
/// it as both ValueError and IndexError (and MXNetError).
class AxisError : public Error {
 public:
  using Error::Error;
};

namespace detail {
inline void append_all(std::ostringstream&) {}
template <class T, class... Rest> void append_all(std::ostringstream& os, const T& first, const Rest&... rest) {
  os << first;
  append_all(os, rest...);
}
}  // namespace detail

/// Builds a message from streamable pieces: concat("shape ", s, " vs ", t).
template <class... Parts> std::string concat(const Parts&... parts) {
  std::ostringstream os;
  detail::append_all(os, parts...);
  return os.str();
}

}  // namespace mxlite

/// Throws mxlite::Error(op, message...) unless cond holds.
#define MXLITE_CHECK(cond, op, ...)                                          \
  do {                                                                       \
    if (!(cond)) throw ::mxlite::Error((op), ::mxlite::concat(__VA_ARGS__)); \
  } while (0)

/// Like MXLITE_CHECK, throwing one of the Error kinds above (ValueError, ...).
#define MXLITE_CHECK_AS(Kind, cond, op, ...)                                \
  do {                                                                      \
    if (!(cond)) throw ::mxlite::Kind((op), ::mxlite::concat(__VA_ARGS__)); \
  } while (0)
