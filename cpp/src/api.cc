// Conveniences of the public C++ API that are not ops: in-place operators.
#include "mxlite/autograd.h"
#include "mxlite/ops.h"

namespace mxlite {
namespace {

NDArray& write_in_place(NDArray& target, const NDArray& result, const char* what) {
  MXLITE_CHECK(result.shape() == target.shape(), what, "non-broadcastable output operand with shape ", target.shape(),
               " doesn't match the broadcast shape ", result.shape());
  target.assign(result);
  return target;
}

template <class Fn> NDArray& update(NDArray& a, const NDArray& b, const char* what, Fn fn) {
  autograd::check_inplace_allowed(a, b, what);
  return write_in_place(a, fn(a, b), what);
}

template <class Fn> NDArray& update(NDArray& a, double s, const char* what, Fn fn) {
  autograd::check_inplace_allowed(a, NDArray(), what);
  return write_in_place(a, fn(a, s), what);
}

}  // namespace

NDArray& operator+=(NDArray& a, const NDArray& b) {
  return update(a, b, "+=", [](const NDArray& x, const NDArray& y) { return np::add(x, y); });
}
NDArray& operator-=(NDArray& a, const NDArray& b) {
  return update(a, b, "-=", [](const NDArray& x, const NDArray& y) { return np::subtract(x, y); });
}
NDArray& operator*=(NDArray& a, const NDArray& b) {
  return update(a, b, "*=", [](const NDArray& x, const NDArray& y) { return np::multiply(x, y); });
}
NDArray& operator/=(NDArray& a, const NDArray& b) {
  return update(a, b, "/=", [](const NDArray& x, const NDArray& y) { return np::divide(x, y); });
}
NDArray& operator+=(NDArray& a, double s) {
  return update(a, s, "+=", [](const NDArray& x, double y) { return np::add(x, y); });
}
NDArray& operator-=(NDArray& a, double s) {
  return update(a, s, "-=", [](const NDArray& x, double y) { return np::subtract(x, y); });
}
NDArray& operator*=(NDArray& a, double s) {
  return update(a, s, "*=", [](const NDArray& x, double y) { return np::multiply(x, y); });
}
NDArray& operator/=(NDArray& a, double s) {
  return update(a, s, "/=", [](const NDArray& x, double y) { return np::divide(x, y); });
}

}  // namespace mxlite
