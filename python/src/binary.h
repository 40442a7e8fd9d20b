// The plain binary ops as the bindings see them: one BinaryRow per row of
// mxlite/binary_ops.inc, and the one function that applies a row to Python
// operands (arrays, Python scalars, array-likes). Used by the core
// implementations (bind_binary.cc) and the array operators (ndarray_bind.cc).
#pragma once

#include "convert.h"

namespace mxlite {
namespace bind {

struct BinaryRow {
  const char* name;
  NDArray (*arrays)(const NDArray&, const NDArray&, const NDArray&);
  NDArray (*with_scalar)(const NDArray&, double, const NDArray&);   // array op s
  NDArray (*scalar_first)(double, const NDArray&, const NDArray&);  // s op array
  ScalarRule rule;                                                  // how a Python scalar becomes an operand
  bool scalar_op;  // the row has a `_scalar` op: a Python scalar goes in as a double
  bool compare;    // bool result (comparisons, logical ops)
};

namespace rows {
#define MXLITE_BINARY(name, F, policy, saves, scalar, doc) extern const BinaryRow name;
#include "mxlite/binary_ops.inc"
#undef MXLITE_BINARY
}  // namespace rows

/// The row the legacy face uses for `row`: its own division (integers
/// truncate, mxlite::nd::divide), the row itself otherwise.
const BinaryRow& legacy_row(const BinaryRow& row);

/// row(x1, x2) with the legacy face's results (0/1 comparisons in the
/// operands' dtype, truncating integer division), into `out` when defined.
NDArray legacy_binary(const BinaryRow& row, py::handle x1, py::handle x2, const NDArray& out, const char* fn,
                      bool array_likes = true);

/// The TypeError of an operator whose other operand is not an array or a number.
[[noreturn]] void unsupported_operand(py::handle other, const char* op);

/// row(x1, x2) into `out` (undefined: a new array). Either operand may be a
/// Python scalar (MXNet's dtype rule: it takes the array's dtype) or, with
/// `array_likes`, anything np.array takes; `fn` names the function in errors.
NDArray apply_binary(const BinaryRow& row, py::handle x1, py::handle x2, const NDArray& out, const char* fn,
                     bool array_likes = true);

}  // namespace bind
}  // namespace mxlite
