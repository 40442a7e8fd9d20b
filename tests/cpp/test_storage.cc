// Storage, views and moving data between C++ buffers and arrays.
#include <cstdint>
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

TEST(storage_is_aligned_and_versioned) {
  auto s = Storage::allocate(100);
  CHECK(reinterpret_cast<uintptr_t>(s->data()) % 64 == 0);
  CHECK(s->nbytes() == 100);
  uint64_t v = s->version();
  s->bump_version();
  CHECK(s->version() == v + 1);
}

TEST(freed_storage_returns_live_bytes) {
  size_t before = Storage::live_bytes();
  {
    NDArray a = NDArray::empty({1000}, DType::Float64);
    CHECK(Storage::live_bytes() >= before + 8000);
  }
  CHECK(Storage::live_bytes() == before);
  Storage::release_cached();
  CHECK(Storage::live_bytes() == before);
}

TEST(wrapped_memory_is_not_copied_and_released_once) {
  std::vector<float> buffer = {1, 2, 3, 4, 5, 6};
  int releases = 0;
  {
    NDArray a = NDArray::wrap(buffer.data(), {2, 3}, DType::Float32, [&] { ++releases; });
    CHECK(a.raw_data() == buffer.data());
    NDArray v = a.view({3, 2});  // a view keeps the storage alive
    a = NDArray();
    CHECK(releases == 0);
    v.fill(7.0);
  }
  CHECK(releases == 1);
  CHECK(buffer == std::vector<float>(6, 7.0f));
}

TEST(reshape_and_leading_slice_are_views) {
  NDArray x = np::arange(0, 12);
  NDArray m = np::reshape(x, {3, 4});
  CHECK(m.shares_storage(x));
  NDArray rows = m.leading_slice(1, 3);
  CHECK(rows.shape() == Shape({2, 4}));
  CHECK(rows.offset() == 4 * sizeof(float));
  CHECK(rows.to_vector<float>() == std::vector<float>({4, 5, 6, 7, 8, 9, 10, 11}));
  rows.fill(-1.0);  // writes through to x
  CHECK(x.to_vector<float>()[4] == -1.0f && x.to_vector<float>()[11] == -1.0f && x.to_vector<float>()[3] == 3.0f);
  CHECK(np::index(m, 2).shares_storage(x));
  NDArray empty_rows = m.leading_slice(2, 2);
  CHECK(empty_rows.size() == 0 && empty_rows.shape() == Shape({0, 4}));
  CHECK_THROWS_WITH(m.leading_slice(2, 5), "slice");
  CHECK_THROWS_WITH(m.view({5, 2}), "reshape");
}

TEST(copy_is_independent_detach_shares) {
  NDArray x = NDArray::from_vector<double>({1, 2, 3});
  NDArray c = x.copy();
  NDArray d = x.detach();
  CHECK(!c.shares_storage(x));
  CHECK(d.shares_storage(x) && !d.is_same(x));
  x.fill(0.0);
  CHECK(c.to_vector<double>() == std::vector<double>({1, 2, 3}));
  CHECK(d.to_vector<double>() == std::vector<double>({0, 0, 0}));
}

TEST(assign_bumps_version_and_casts) {
  NDArray a = np::zeros({3}, DType::Int32);
  uint64_t v = a.storage()->version();
  a.assign(NDArray::from_vector<double>({1.9, -2.5, 3.0}));
  CHECK(a.storage()->version() > v);
  CHECK(a.dtype() == DType::Int32);
  CHECK(a.to_vector<int32_t>() == std::vector<int32_t>({1, -2, 3}));
  a.assign(np::scalar(5));  // a size-1 value fills
  CHECK(a.to_vector<int32_t>() == std::vector<int32_t>({5, 5, 5}));
  CHECK_THROWS_WITH(a.assign(np::ones({2})), "assign");
}

TEST(from_and_to_cpp_buffers) {
  const int64_t raw[6] = {1, 2, 3, 4, 5, 6};
  NDArray a = NDArray::from_data(raw, {2, 3});
  CHECK(a.dtype() == DType::Int64 && a.shape() == Shape({2, 3}));
  float out[6] = {};
  a.copy_to(out, 6);  // converts int64 -> float
  CHECK(out[0] == 1.0f && out[5] == 6.0f);
  CHECK_THROWS_WITH(a.copy_to(out, 5), "copy_to");
  CHECK(a.to_vector<double>() == std::vector<double>({1, 2, 3, 4, 5, 6}));

  NDArray b = NDArray::from_vector(std::vector<bool>{true, false, true});
  CHECK(b.dtype() == DType::Bool && b.shape() == Shape({3}));
  CHECK(b.to_vector<bool>() == std::vector<bool>({true, false, true}));
  CHECK(b.to_vector<int32_t>() == std::vector<int32_t>({1, 0, 1}));

  NDArray f = NDArray::from_vector(std::vector<float>{0.5f, 1.5f}, {2, 1});
  CHECK(f.dtype() == DType::Float32 && f.shape() == Shape({2, 1}));
  CHECK_THROWS_WITH(NDArray::from_vector(std::vector<float>{1, 2, 3}, {2, 2}), "does not fit");
  CHECK_THROWS_WITH(f.data<double>(), "float32");  // typed pointer access checks the dtype

  NDArray z = NDArray::from_vector(std::vector<double>{});
  CHECK(z.size() == 0 && z.to_vector<double>().empty());
}

int main() { return check::run_all(); }
