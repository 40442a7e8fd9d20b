// The la_op family from C++: values when the build has LAPACK, and without
// it (MXLITE_BLAS=none, as the sanitizer build) a clear Error naming the op;
// the triangular solve and the compositions that need no LAPACK work in both.
#include <cmath>
#include <vector>

#include "check.h"
#include "mxlite/linalg_ops.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

namespace {
NDArray mat(const std::vector<double>& v, const Shape& s) { return NDArray::from_vector(v, s); }
bool close(const NDArray& a, const std::vector<double>& want, double tol = 1e-12) {
  std::vector<double> got(a.size());
  a.copy_to(got.data(), got.size());
  for (size_t i = 0; i < want.size(); ++i)
    if (std::fabs(got[i] - want[i]) > tol) return false;
  return got.size() == want.size();
}
}  // namespace

TEST(trsm_and_trmm_need_no_lapack) {
  NDArray a = mat({2, 9, 1, 4}, {2, 2}), b = mat({1, 2, 3, 4}, {2, 2});
  CHECK(close(np::linalg_trsm(a, b, false, false, false, 1.0), {-2.875, -3.5, 0.75, 1.0}));
  CHECK(close(np::linalg_trsm(a, b, true, true, true, 1.0), {0.5, 0.375, 1.5, 0.625}));
  CHECK(close(np::linalg_trmm(a, b), {2, 4, 13, 18}));
  CHECK(close(np::linalg_maketrian(np::linalg_extracttrian(a)), {2, 0, 1, 4}));
}

TEST(decompositions_use_lapack_or_name_the_op) {
  NDArray a = mat({4, 2, 2, 3}, {2, 2});
  if (np::have_lapack()) {
    CHECK(close(np::linalg_potrf(a), {2, 0, 1, std::sqrt(2.0)}));
    CHECK(close(np::linalg_det(a), {8.0}, 1e-12));
    CHECK(close(np::linalg_inverse(a), {0.375, -0.25, -0.25, 0.5}));
    CHECK(close(np::linalg_solve(a, mat({8, 7}, {2})), {1.25, 1.5}));
    CHECK_THROWS_WITH(np::linalg_potrf(mat({1, 2, 2, 1}, {2, 2})), "linalg_potrf: matrix 0");
  } else {
    CHECK_THROWS_WITH(np::linalg_potrf(a), "linalg_potrf: this build of mxlite has no LAPACK");
    CHECK_THROWS_WITH(np::linalg_det(a), "linalg_det: this build of mxlite has no LAPACK");
    CHECK_THROWS_WITH(np::linalg_svd(a), "svd: this build of mxlite has no LAPACK");
    CHECK_THROWS_WITH(np::linalg_solve(a, a), "solve: this build of mxlite has no LAPACK");
    CHECK(close(np::linalg_syrk(a), {20, 14, 14, 13}));  // a product: no LAPACK needed
  }
}

int main() { return check::run_all(); }
