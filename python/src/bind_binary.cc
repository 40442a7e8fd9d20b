// Core implementations of the plain binary ops (rows of mxlite/binary_ops.inc):
// "np.<name>"(x1, x2, out, where, casting, order, dtype, subok) and the legacy
// "nd.<name>"(lhs, rhs, out, name) (MXNet 1.x results: comparisons give 0/1 in
// the operands' dtype, integer division truncates), "nd.elemwise_<name>" for
// the four same-shape legacy operators; and apply_binary, shared with the
// array operators.
#include "binary.h"
#include "function.h"

namespace mxlite {
namespace bind {
namespace {

// The tokens of a row's policy and scalar columns, to derive how a Python
// scalar becomes an operand.
namespace tokens {
enum Policy { Arith, NoBoolPair, Int8Bools, TrueDivide, Power, Float, Integer, IntOrBool, Compare };
enum Scalar { ScalarOp, ScalarArray };
}  // namespace tokens

constexpr ScalarRule rule_for(tokens::Policy p, tokens::Scalar s) {
  if (p == tokens::Integer || p == tokens::IntOrBool) return ScalarRule::Integer;
  if (p == tokens::Compare && s == tokens::ScalarArray) return ScalarRule::Truth;  // logical ops
  return ScalarRule::Arith;
}

NDArray with_python_scalar(const BinaryRow& row, const NDArray& a, py::handle obj, double s, bool scalar_first,
                           const NDArray& out, const char* fn) {
  if (row.scalar_op) {
    // Comparisons see the array as it is (exact, see the engine's rule); the
    // arithmetic takes int64 for a bool array beside a Python int.
    const NDArray x = row.compare ? a : beside_scalar(a, obj);
    return scalar_first ? row.scalar_first(s, x, out) : row.with_scalar(x, s, out);
  }
  const NDArray operand = scalar_beside(obj, s, a, row.rule, fn);
  return scalar_first ? row.arrays(operand, a, out) : row.arrays(a, operand, out);
}

// The dtype legacy comparisons give their 0/1 results in.
DType legacy_truth_dtype(py::handle lhs, py::handle rhs) {
  const NDArray *a = as_array(lhs), *b = as_array(rhs);
  if (a && b) return promote_types(a->dtype(), b->dtype());
  if (a) return a->dtype();
  return b ? b->dtype() : DType::Float32;
}

const BinaryRow legacy_divide = {
    "divide",
    [](const NDArray& a, const NDArray& b, const NDArray& o) { return nd::divide(a, b, o); },
    [](const NDArray& a, double s, const NDArray& o) { return nd::divide(a, s, o); },
    [](double s, const NDArray& a, const NDArray& o) { return nd::divide(s, a, o); },
    ScalarRule::Arith,
    true,
    false};

void def_binary(const BinaryRow& row, const char* doc) {
  const BinaryRow* r = &row;
  def_impl(std::string("np.") + row.name, doc,
           [r](py::handle x1, py::handle x2, py::handle out, py::handle where, py::handle casting, py::handle order,
               py::handle dtype, py::handle subok) {
             check_ufunc_options(r->name, where, casting, order, dtype, subok);
             if (out.is_none() && is_number(x1) && is_number(x2))
               if (py::handle numpy_fn = numpy_function(r->name)) return numpy_fn(x1, x2);
             return deliver(apply_binary(*r, x1, x2, out_arg(out, Face::Np, r->name), r->name), out, Face::Np);
           });
  // `name` only names symbols in MXNet; it has no effect on arrays.
  def_impl(std::string("nd.") + row.name, doc, [r](py::handle lhs, py::handle rhs, py::handle out, py::handle) {
    return deliver(legacy_binary(*r, lhs, rhs, out_arg(out, Face::Nd, r->name), r->name), out, Face::Nd);
  });
}

// elemwise_add and friends: the legacy operators without broadcasting.
void def_elemwise(const char* op, const BinaryRow& row) {
  const BinaryRow* r = &row;
  const std::string name = std::string("elemwise_") + op;
  def_impl("nd." + name, "Element-wise " + std::string(op) + " of two arrays of the same shape (no broadcasting).",
           [r, name](py::handle lhs, py::handle rhs, py::handle out, py::handle) {
             const NDArray &a = array_arg(lhs, name.c_str()), &b = array_arg(rhs, name.c_str());
             MXLITE_CHECK(a.shape() == b.shape(), name, "operands must have the same shape, got ", a.shape(), " and ",
                          b.shape(), " (use broadcast_", name.substr(9), " to broadcast)");
             return deliver(legacy_binary(*r, lhs, rhs, out_arg(out, Face::Nd, name.c_str()), name.c_str()), out,
                            Face::Nd);
           });
}

}  // namespace

const BinaryRow& legacy_row(const BinaryRow& row) { return &row == &rows::divide ? legacy_divide : row; }

NDArray legacy_binary(const BinaryRow& row, py::handle lhs, py::handle rhs, const NDArray& out, const char* fn,
                      bool array_likes) {
  if (row.compare) {
    const NDArray truth = apply_binary(row, lhs, rhs, NDArray(), fn, array_likes);
    return nd::as_truth_values(truth, legacy_truth_dtype(lhs, rhs), out);
  }
  return apply_binary(legacy_row(row), lhs, rhs, out, fn, array_likes);
}

void unsupported_operand(py::handle other, const char* op) {
  throw py::type_error(std::string(op) + ": type " + py::str(py::type::of(other)).cast<std::string>() +
                       " not supported (the other operand must be an mxnet array or a number; convert "
                       "array-likes with np.array first)");
}

namespace rows {
#define MXLITE_BINARY(name, F, policy, saves, scalar, doc)                                                        \
  const BinaryRow name = {#name,                                                                                  \
                          [](const NDArray& a, const NDArray& b, const NDArray& o) { return np::name(a, b, o); }, \
                          [](const NDArray& a, double s, const NDArray& o) { return np::name(a, s, o); },         \
                          [](double s, const NDArray& a, const NDArray& o) { return np::name(s, a, o); },         \
                          rule_for(tokens::policy, tokens::scalar),                                               \
                          tokens::scalar == tokens::ScalarOp,                                                     \
                          tokens::policy == tokens::Compare};
#include "mxlite/binary_ops.inc"
#undef MXLITE_BINARY
}  // namespace rows

NDArray apply_binary(const BinaryRow& row, py::handle x1, py::handle x2, const NDArray& out, const char* fn,
                     bool array_likes) {
  const NDArray* a = as_array(x1);
  const NDArray* b = as_array(x2);
  if (a && b) return row.arrays(*a, *b, out);
  auto other = [&](py::handle h) {
    if (!array_likes) unsupported_operand(h, fn);
    return to_array(h, std::nullopt, true, fn);
  };
  if (a) {
    if (auto s = as_scalar(x2)) return with_python_scalar(row, *a, x2, *s, false, out, fn);
    return row.arrays(*a, other(x2), out);
  }
  if (b) {
    if (auto s = as_scalar(x1)) return with_python_scalar(row, *b, x1, *s, true, out, fn);
    return row.arrays(other(x1), *b, out);
  }
  // Two scalars or array-likes: computed on arrays (float32 from Python numbers).
  return row.arrays(other(x1), other(x2), out);
}

void bind_binary(py::module_& m) {
  py::list names;
#define MXLITE_BINARY(name, F, policy, saves, scalar, doc) \
  def_binary(rows::name, doc);                             \
  names.append(#name);
#include "mxlite/binary_ops.inc"
#undef MXLITE_BINARY
  def_elemwise("add", rows::add);
  def_elemwise("sub", rows::subtract);
  def_elemwise("mul", rows::multiply);
  def_elemwise("div", rows::divide);
  m.attr("binary_ops") = py::tuple(names);
}

}  // namespace bind
}  // namespace mxlite
