// MXNet's NDArray files (mxlite/io.h): round trips, the exact bytes MXNet
// 1.9.1 writes, the older records it reads, and the errors.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

namespace {

// Little-endian encoders for building files by hand.
template <class T> void put(std::string& s, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) s.push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF));
}
void put_floats(std::string& s, const std::vector<float>& v) {
  s.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));  // (the test hosts are little-endian)
}
std::string list_header(uint64_t count) {
  std::string s;
  put<uint64_t>(s, 0x112);
  put<uint64_t>(s, 0);
  put<uint64_t>(s, count);
  return s;
}
// The record of a dense float32 array with the given magic and extents.
void put_v2_float(std::string& s, uint32_t magic, const std::vector<int64_t>& shape, const std::vector<float>& v) {
  put<uint32_t>(s, magic);
  put<int32_t>(s, 0);  // dense
  put<int32_t>(s, static_cast<int32_t>(shape.size()));
  for (int64_t e : shape) put<int64_t>(s, e);
  put<int32_t>(s, 1);  // cpu
  put<int32_t>(s, 0);
  put<int32_t>(s, 0);  // float32
  put_floats(s, v);
}

std::string temp_path(const char* name) { return std::string(P_tmpdir) + "/mxlite_test_io_" + name; }

}  // namespace

TEST(round_trip_through_a_file_keeps_names_dtypes_shapes_and_values) {
  io::ArrayList list;
  list.arrays = {np::reshape(np::arange(0, 6), {2, 3}),           NDArray::from_vector<int64_t>({-1, 5}),
                 NDArray::from_vector<bool>({true, false, true}), NDArray::from_vector<uint8_t>({255}),
                 NDArray::from_vector<int8_t>({-128, 127}),       NDArray::from_vector<int32_t>({7}),
                 NDArray::from_vector<double>({0.5, -2.25}),      NDArray::empty({2, 0, 3}, DType::Float32)};
  list.names = {"w", "i64", "mask", "u8", "i8", "i32", "f64", "empty"};
  const std::string path = temp_path("round_trip.params");
  io::save(path, list);
  io::ArrayList back = io::load(path);
  std::remove(path.c_str());
  CHECK(back.names == list.names);
  CHECK(back.arrays.size() == list.arrays.size());
  for (size_t i = 0; i < list.arrays.size(); ++i) {
    CHECK(back.arrays[i].dtype() == list.arrays[i].dtype());
    CHECK(back.arrays[i].shape() == list.arrays[i].shape());
    CHECK(back.arrays[i].to_vector<double>() == list.arrays[i].to_vector<double>());
  }
  CHECK(back.arrays[1].to_vector<int64_t>() == std::vector<int64_t>({-1, 5}));
}

TEST(bytes_are_mxnet_1_9_1s) {
  // mx.nd.save(f, {'x': mx.nd.array([[1, 2], [3, 4]])}) in MXNet 1.9.1.
  std::string expected = list_header(1);
  put_v2_float(expected, 0xF993FAC9, {2, 2}, {1, 2, 3, 4});
  put<uint64_t>(expected, 1);
  put<uint64_t>(expected, 1);
  expected += "x";
  NDArray x = NDArray::from_vector<float>({1, 2, 3, 4}, {2, 2});
  CHECK(io::save_to_bytes({{x}, {"x"}}) == expected);
  // Under NumPy shape semantics only the magic changes (V3), and 0-d arrays are allowed.
  std::string v3 = expected;
  v3[24] = static_cast<char>(0xCA);
  CHECK(io::save_to_bytes({{x}, {"x"}}, io::ShapeSemantics::NumPy) == v3);
  io::ArrayList scalar = io::load_from_bytes(io::save_to_bytes({{np::full({}, 3.5)}, {}}, io::ShapeSemantics::NumPy));
  CHECK(scalar.names.empty() && scalar.arrays[0].ndim() == 0 && scalar.arrays[0].item() == 3.5);
}

TEST(older_records_load) {
  // V1: no storage type; before V1: the extent count as the magic and u32 extents.
  std::string s = list_header(2);
  put<uint32_t>(s, 0xF993FAC8);
  put<int32_t>(s, 1);
  put<int64_t>(s, 2);
  put<int32_t>(s, 1);
  put<int32_t>(s, 0);
  put<int32_t>(s, 4);  // int32
  put<int32_t>(s, 10);
  put<int32_t>(s, -20);
  put<uint32_t>(s, 2);
  put<uint32_t>(s, 1);
  put<uint32_t>(s, 2);
  put<int32_t>(s, 1);
  put<int32_t>(s, 0);
  put<int32_t>(s, 0);  // float32
  put_floats(s, {1.5f, 2.5f});
  put<uint64_t>(s, 0);
  io::ArrayList list = io::load_from_bytes(s);
  CHECK(list.names.empty() && list.arrays.size() == 2);
  CHECK(list.arrays[0].dtype() == DType::Int32 &&
        list.arrays[0].to_vector<int32_t>() == std::vector<int32_t>({10, -20}));
  CHECK(list.arrays[1].shape() == Shape({1, 2}) &&
        list.arrays[1].to_vector<float>() == std::vector<float>({1.5f, 2.5f}));
}

TEST(semantics_are_checked_when_required) {
  NDArray x = np::ones({2});
  const std::string legacy = io::save_to_bytes({{x}, {"x"}});
  const std::string numpy = io::save_to_bytes({{x}, {"x"}}, io::ShapeSemantics::NumPy);
  CHECK(io::load_from_bytes(legacy).arrays.size() == 1);
  CHECK(io::load_from_bytes(numpy).arrays.size() == 1);
  CHECK_THROWS_WITH(io::load_from_bytes(numpy, io::ShapeSemantics::Legacy),
                    "array \"x\" (index 0) was saved under NumPy shape semantics");
  CHECK_THROWS_WITH(io::load_from_bytes(legacy, io::ShapeSemantics::NumPy), "saved under legacy shape semantics");
}

TEST(errors_name_the_file_and_the_array) {
  CHECK_THROWS_WITH(io::load(temp_path("missing.params")), "load: cannot open \"");
  CHECK_THROWS_WITH(io::load(temp_path("missing.params")), "No such file or directory");
  CHECK_THROWS_WITH(io::save("/nonexistent-dir/x.params", {{np::ones({1})}, {}}), "cannot open \"/nonexistent-dir/");
  CHECK_THROWS_WITH(io::save_to_bytes({{np::full({}, 1.0)}, {"s"}}), "array \"s\" (index 0) is 0-d");
  CHECK_THROWS_WITH(io::save_to_bytes({{np::ones({1})}, {"a", "b"}}), "got 2 names for 1 arrays");
  CHECK_THROWS_WITH(io::save_to_bytes({{NDArray()}, {}}), "array 0 is an undefined array");

  const std::string good = io::save_to_bytes({{np::ones({4})}, {"w"}});
  CHECK_THROWS_WITH(io::load_from_bytes(good.substr(0, 60)),
                    "is truncated: array 0: 16 bytes needed at offset 56 for its data, only 4 remain");
  CHECK_THROWS_WITH(io::load_from_bytes(good.substr(0, 4)),
                    "truncated: 8 bytes needed at offset 0 for the header, only 4 remain");
  CHECK_THROWS_WITH(io::load_from_bytes(std::string(40, '\0')), "is not an MXNet NDArray file");
  const size_t dtype_at = 24 + 4 + 4 + 4 + 8 + 8;  // header, magic, storage, ndim, extent, device
  std::string bad_dtype = good;
  bad_dtype[dtype_at] = 99;
  CHECK_THROWS_WITH(io::load_from_bytes(bad_dtype), "is corrupt: array 0: unknown dtype flag 99");
  // A 2-byte dtype mxlite lacks (bfloat16): 4 elements are 8 bytes, then the names.
  std::string bf16 = good;
  bf16[dtype_at] = 12;
  bf16.erase(dtype_at + 4 + 8, 8);
  CHECK_THROWS_WITH(io::load_from_bytes(bf16),
                    "array \"w\" (index 0) has dtype bfloat16, which mxlite does not support");
  // float16 (flag 2) loads: the same 8 bytes are the halves of two float32 1.0s.
  std::string half = bf16;
  half[dtype_at] = 2;
  const io::ArrayList loaded = io::load_from_bytes(half);
  CHECK(loaded.arrays.size() == 1 && loaded.arrays[0].dtype() == DType::Float16);
  CHECK(loaded.arrays[0].to_vector<double>() == std::vector<double>({0.0, 1.875, 0.0, 1.875}));
  std::string storage = good;
  storage[24 + 4] = 7;
  CHECK_THROWS_WITH(io::load_from_bytes(storage), "the buffer (89 bytes) is corrupt: array 0: unknown storage type 7");

  // A file on disk: the messages name it.
  const std::string path = temp_path("truncated.params");
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(good.data(), 1, 30, f);
    std::fclose(f);
  }
  CHECK_THROWS_WITH(io::load(path), "load: \"" + path + "\" is truncated");
  std::remove(path.c_str());
}

TEST(sparse_records_are_refused_by_name) {
  // mx.nd.save(f, {'w': mx.nd.array([[0, 1], [0, 0]]).tostype('row_sparse')}) in MXNet 1.9.1.
  std::string s = list_header(1);
  put<uint32_t>(s, 0xF993FAC9);
  put<int32_t>(s, 1);  // row_sparse
  put<int32_t>(s, 2);  // storage shape (1, 2)
  put<int64_t>(s, 1);
  put<int64_t>(s, 2);
  put<int32_t>(s, 2);  // shape (2, 2)
  put<int64_t>(s, 2);
  put<int64_t>(s, 2);
  put<int32_t>(s, 1);
  put<int32_t>(s, 0);
  put<int32_t>(s, 0);  // float32 values
  put<int32_t>(s, 6);  // int64 indices of shape (1,)
  put<int32_t>(s, 1);
  put<int64_t>(s, 1);
  put_floats(s, {0.0f, 1.0f});
  put<int64_t>(s, 0);
  put<uint64_t>(s, 1);
  put<uint64_t>(s, 1);
  s += "w";
  CHECK_THROWS_WITH(io::load_from_bytes(s), "array \"w\" (index 0) is a sparse array (row_sparse storage)");
}

int main() { return check::run_all(); }
