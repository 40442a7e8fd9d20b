// MXNet's NDArray file format (mxlite/io.h), learnt from MXNet 1.9.1's
// NDArray::Save/Load. All integers are little-endian:
//
//   file    := u64 0x112, u64 reserved (0), u64 n, record * n,
//              u64 m (0 or n), (u64 length, bytes) * m           - the names
//   record  := u32 magic, [i32 storage type], shape, i32 device type,
//              i32 device id, i32 dtype flag, the elements in row-major order
//   shape   := i32 ndim, i64 extent * ndim                        (V1, V2, V3)
//            | extent count as the magic, u32 extent * ndim       (before V1)
//
// V2 added the storage type (dense 0, row_sparse 1, csr 2; sparse records
// carry more fields, read here only to name the array they belong to), V3
// marks an array saved under NumPy shape semantics.
#include "mxlite/io.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace mxlite {
namespace io {
namespace {

constexpr uint64_t kListMagic = 0x112;
constexpr uint32_t kV1Magic = 0xF993FAC8;
constexpr uint32_t kV2Magic = 0xF993FAC9;
constexpr uint32_t kV3Magic = 0xF993FACA;
constexpr int32_t kDenseStorage = 0, kRowSparseStorage = 1, kCsrStorage = 2;

// mshadow's dtype flags (the numbers MXNet writes).
int32_t dtype_flag(DType dt) {
  switch (dt) {
    case DType::Float32:
      return 0;
    case DType::Float64:
      return 1;
    case DType::Float16:
      return 2;
    case DType::UInt8:
      return 3;
    case DType::Int32:
      return 4;
    case DType::Int8:
      return 5;
    case DType::Int64:
      return 6;
    case DType::Bool:
      return 7;
  }
  return -1;
}

// The dtype of a flag; `unsupported` names the MXNet dtypes mxlite lacks.
std::optional<DType> dtype_of_flag(int32_t flag, const char** unsupported) {
  static const char* const kLacking[13] = {nullptr, nullptr, nullptr,  nullptr,  nullptr,  nullptr,   nullptr,
                                           nullptr, "int16", "uint16", "uint32", "uint64", "bfloat16"};
  *unsupported = nullptr;
  switch (flag) {
    case 0:
      return DType::Float32;
    case 1:
      return DType::Float64;
    case 2:
      return DType::Float16;
    case 3:
      return DType::UInt8;
    case 4:
      return DType::Int32;
    case 5:
      return DType::Int8;
    case 6:
      return DType::Int64;
    case 7:
      return DType::Bool;
    default:
      if (flag >= 0 && flag <= 12) *unsupported = kLacking[flag];
      return std::nullopt;
  }
}

// The bytes of an element of the MXNet dtypes mxlite lacks (to skip them).
size_t lacking_itemsize(int32_t flag) {
  return flag == 2 || flag == 8 || flag == 9 || flag == 12 ? 2 : flag == 10 ? 4 : 8;
}

bool host_is_little_endian() {
  const uint16_t probe = 1;
  unsigned char first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

// Reverses each `itemsize`-byte element of a buffer (big-endian hosts only).
void swap_elements(char* data, size_t count, size_t itemsize) {
  if (itemsize == 1) return;
  for (size_t i = 0; i < count; ++i) std::reverse(data + i * itemsize, data + (i + 1) * itemsize);
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// ---- writing -----------------------------------------------------------------

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(const void* data, size_t n) = 0;

  template <class T> void put(T value) {
    static_assert(std::is_integral<T>::value, "integers only");
    unsigned char bytes[sizeof(T)];
    using U = typename std::make_unsigned<T>::type;
    U u = static_cast<U>(value);
    for (size_t i = 0; i < sizeof(T); ++i) bytes[i] = static_cast<unsigned char>((u >> (8 * i)) & 0xFF);
    write(bytes, sizeof(T));
  }
  // An array's elements, little-endian whatever the host is.
  void put_elements(const NDArray& a) {
    const size_t item = itemsize(a.dtype()), count = static_cast<size_t>(a.size());
    const char* src = static_cast<const char*>(a.raw_data());
    if (host_is_little_endian()) {
      write(src, count * item);
      return;
    }
    std::vector<char> chunk;
    const size_t per_chunk = (size_t(1) << 16) / item + 1;
    for (size_t done = 0; done < count; done += per_chunk) {
      const size_t k = std::min(per_chunk, count - done);
      chunk.assign(src + done * item, src + (done + k) * item);
      swap_elements(chunk.data(), k, item);
      write(chunk.data(), chunk.size());
    }
  }
};

class StringSink : public Sink {
 public:
  void write(const void* data, size_t n) override { out.append(static_cast<const char*>(data), n); }
  std::string out;
};

class FileSink : public Sink {
 public:
  explicit FileSink(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    MXLITE_CHECK(file_ != nullptr, "save", "cannot open ", quoted(path), " for writing: ", std::strerror(errno));
  }
  ~FileSink() override {
    if (file_) std::fclose(file_);
  }
  void write(const void* data, size_t n) override {
    MXLITE_CHECK(n == 0 || std::fwrite(data, 1, n, file_) == n, "save", "cannot write ", quoted(path_), ": ",
                 std::strerror(errno));
  }
  void close() {
    FILE* f = file_;
    file_ = nullptr;
    MXLITE_CHECK(std::fclose(f) == 0, "save", "cannot write ", quoted(path_), ": ", std::strerror(errno));
  }

 private:
  std::string path_;
  FILE* file_;
};

std::string array_label(const ArrayList& list, size_t i) {
  return list.names.empty() ? concat("array ", i) : concat("array ", quoted(list.names[i]), " (index ", i, ")");
}

// Everything that makes a list unsavable, checked before a file is opened so
// that a refused save leaves no half-written file.
void check_savable(const ArrayList& list, ShapeSemantics semantics) {
  MXLITE_CHECK(list.names.empty() || list.names.size() == list.arrays.size(), "save", "got ", list.names.size(),
               " names for ", list.arrays.size(), " arrays (give one name per array, or none)");
  for (size_t i = 0; i < list.arrays.size(); ++i) {
    const NDArray& a = list.arrays[i];
    MXLITE_CHECK(a.defined(), "save", array_label(list, i), " is an undefined array");
    MXLITE_CHECK(semantics == ShapeSemantics::NumPy || a.ndim() > 0, "save", array_label(list, i),
                 " is 0-d: under legacy shape semantics MXNet reads a shape without extents as 'no array', "
                 "so 0-d arrays can only be saved under NumPy shape semantics (npx.set_np() in Python)");
  }
}

void write_list(Sink& out, const ArrayList& list, ShapeSemantics semantics) {
  out.put<uint64_t>(kListMagic);
  out.put<uint64_t>(0);  // reserved
  out.put<uint64_t>(list.arrays.size());
  for (const NDArray& a : list.arrays) {
    out.put<uint32_t>(semantics == ShapeSemantics::NumPy ? kV3Magic : kV2Magic);
    out.put<int32_t>(kDenseStorage);
    out.put<int32_t>(static_cast<int32_t>(a.ndim()));
    for (int64_t extent : a.shape()) out.put<int64_t>(extent);
    const Context ctx = a.context();
    out.put<int32_t>(static_cast<int32_t>(ctx.type));
    out.put<int32_t>(ctx.id);
    out.put<int32_t>(dtype_flag(a.dtype()));
    out.put_elements(a);
  }
  out.put<uint64_t>(list.names.size());
  for (const std::string& name : list.names) {
    out.put<uint64_t>(name.size());
    out.write(name.data(), name.size());
  }
}

// ---- reading -----------------------------------------------------------------

class Source {
 public:
  virtual ~Source() = default;
  // Reads exactly n bytes (the caller checked that they remain).
  virtual void read(void* dst, size_t n) = 0;
  virtual void skip(size_t n) = 0;
  size_t remaining() const { return size_ - pos_; }
  size_t position() const { return pos_; }

 protected:
  size_t size_ = 0, pos_ = 0;
};

class MemorySource : public Source {
 public:
  MemorySource(const void* data, size_t size) : data_(static_cast<const char*>(data)) { size_ = size; }
  void read(void* dst, size_t n) override {
    if (n) std::memcpy(dst, data_ + pos_, n);
    pos_ += n;
  }
  void skip(size_t n) override { pos_ += n; }

 private:
  const char* data_;
};

class FileSource : public Source {
 public:
  explicit FileSource(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
    MXLITE_CHECK(file_ != nullptr, "load", "cannot open ", quoted(path), ": ", std::strerror(errno));
    long end = -1;
    if (std::fseek(file_, 0, SEEK_END) == 0) end = std::ftell(file_);
    std::fseek(file_, 0, SEEK_SET);
    MXLITE_CHECK(end >= 0, "load", "cannot read ", quoted(path), ": its size is unknown (not a regular file)");
    size_ = static_cast<size_t>(end);
  }
  ~FileSource() override { std::fclose(file_); }
  void read(void* dst, size_t n) override {
    if (n && std::fread(dst, 1, n, file_) != n) failed();
    pos_ += n;
  }
  void skip(size_t n) override {
    if (n && std::fseek(file_, static_cast<long>(pos_ + n), SEEK_SET) != 0) failed();
    pos_ += n;
  }

 private:
  [[noreturn]] void failed() {
    const char* why = std::ferror(file_) ? std::strerror(errno) : "it changed while being read";
    throw Error("load", concat("cannot read ", quoted(path_), ": ", why));
  }
  std::string path_;
  FILE* file_;
};

// Parses a list from a Source; `where` names it in every error.
class Parser {
 public:
  Parser(Source& in, std::string where, std::optional<ShapeSemantics> required)
      : in_(in), where_(std::move(where)), required_(required) {}

  ArrayList parse() {
    const uint64_t header = get<uint64_t>("the header");
    MXLITE_CHECK(header == kListMagic, "load", where_, " is not an MXNet NDArray file (it starts with 0x", std::hex,
                 header, ", not 0x112)");
    get<uint64_t>("the header");  // reserved
    const uint64_t count = get<uint64_t>("the array count");
    // Every record is at least 4 bytes: a larger count is a cut or corrupt
    // file, not a reason to reserve memory.
    need(count <= UINT64_MAX / 4 ? count * 4 : UINT64_MAX, concat("the records of ", count, " arrays"));
    ArrayList list;
    list.arrays.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      index_ = i;
      list.arrays.push_back(read_record());
    }
    what_prefix_.clear();
    const uint64_t names = get<uint64_t>("the name count");
    corrupt_unless(names == 0 || names == count, concat("it has ", names, " names for ", count, " arrays"));
    for (uint64_t i = 0; i < names; ++i) {
      const uint64_t length = get<uint64_t>(concat("the length of name ", i));
      need(length, concat("name ", i));
      std::string name(length, '\0');
      in_.read(&name[0], length);
      list.names.push_back(std::move(name));
    }
    if (refusal_) {
      const std::string label =
          list.names.empty() ? concat("array ", refused_index_)
                             : concat("array ", quoted(list.names[refused_index_]), " (index ", refused_index_, ")");
      throw Error("load", concat(where_, ": ", label, *refusal_));
    }
    return list;
  }

 private:
  template <class T> T get(const std::string& what) {
    need(sizeof(T), what);
    unsigned char bytes[sizeof(T)];
    in_.read(bytes, sizeof(T));
    using U = typename std::make_unsigned<T>::type;
    U u = 0;
    for (size_t i = 0; i < sizeof(T); ++i) u |= static_cast<U>(bytes[i]) << (8 * i);
    return static_cast<T>(u);
  }
  void need(uint64_t n, const std::string& what) {
    MXLITE_CHECK(n <= in_.remaining(), "load", where_, " is truncated: ", what_prefix_, n, " bytes needed at offset ",
                 in_.position(), " for ", what, ", only ", in_.remaining(), " remain");
  }
  void corrupt_unless(bool ok, const std::string& why) {
    MXLITE_CHECK(ok, "load", where_, " is corrupt: ", what_prefix_, why);
  }
  // The first array mxlite cannot represent is reported after the names are
  // read, so the message can name it; later ones are only skipped.
  void refuse(std::string why) {
    if (!refusal_) {
      refusal_ = std::move(why);
      refused_index_ = index_;
    }
  }

  // A V1-on shape: i32 ndim, then an i64 per extent. Under NumPy semantics
  // -1 marks an unknown extent (or, as ndim, an unknown shape).
  Shape read_shape(const std::string& what, bool numpy) {
    Shape shape;
    const int32_t ndim = get<int32_t>(what);
    if (numpy && ndim == -1) return {-1};  // refused by the caller
    corrupt_unless(ndim >= 0 && ndim <= static_cast<int32_t>(kMaxNdim),
                   concat(what, " has ", ndim, " dimensions (at most ", kMaxNdim, ")"));
    for (int32_t d = 0; d < ndim; ++d) {
      const int64_t extent = get<int64_t>(what);
      corrupt_unless(extent >= 0 || (numpy && extent == -1), concat(what, " has a negative extent ", extent));
      shape.push_back(extent);
    }
    return shape;
  }
  // Bytes of `shape`'s elements; a count beyond 64 bits is corruption (one
  // beyond the file is reported as truncation by `need`).
  uint64_t byte_count(const Shape& shape, size_t item, const std::string& what) {
    uint64_t n = item;
    for (int64_t extent : shape) {
      if (extent == 0) return 0;
      corrupt_unless(n <= UINT64_MAX / static_cast<uint64_t>(extent),
                     concat(what, " of shape ", shape, " has more than 2**64 bytes"));
      n *= static_cast<uint64_t>(extent);
    }
    return n;
  }

  NDArray read_record() {
    what_prefix_ = concat("array ", index_, ": ");
    const uint32_t magic = get<uint32_t>("its magic number");
    const bool numpy = magic == kV3Magic;
    const bool has_storage = magic == kV2Magic || magic == kV3Magic;
    const bool wide = has_storage || magic == kV1Magic;
    // Before V1 the record began with the extent count itself.
    corrupt_unless(wide || magic <= kMaxNdim, concat("unknown record magic number 0x", std::hex, magic));
    if (required_ && *required_ != (numpy ? ShapeSemantics::NumPy : ShapeSemantics::Legacy)) {
      refuse(numpy ? " was saved under NumPy shape semantics and MXNet loads it only under them "
                     "(npx.set_np() or `with mx.np_shape(True)` in Python)"
                   : " was saved under legacy shape semantics and MXNet loads it only with NumPy shape "
                     "semantics off (npx.reset_np() or `with mx.np_shape(False)` in Python)");
    }
    int32_t storage = kDenseStorage;
    if (has_storage) storage = get<int32_t>("its storage type");
    corrupt_unless(storage == kDenseStorage || storage == kRowSparseStorage || storage == kCsrStorage,
                   concat("unknown storage type ", storage));
    if (storage != kDenseStorage) return skip_sparse(storage, numpy);

    Shape shape;
    if (wide) {
      shape = read_shape("its shape", numpy);
    } else {
      for (uint32_t d = 0; d < magic; ++d) shape.push_back(get<uint32_t>("its shape"));
    }
    // MXNet's "no array" (an uninitialised NDArray): nothing more is stored.
    if (!numpy && shape.empty()) {
      refuse(" has no shape (MXNet's record of an uninitialised array), which mxlite cannot represent");
      return NDArray();
    }
    if (std::any_of(shape.begin(), shape.end(), [](int64_t e) { return e < 0; })) {
      refuse(" has an unknown shape (MXNet's record of an uninitialised array), which mxlite cannot represent");
      return NDArray();
    }
    get<int32_t>("its device type");  // arrays load onto the CPU, as MXNet does without a GPU
    get<int32_t>("its device id");
    const int32_t flag = get<int32_t>("its dtype");
    const char* lacking;
    const std::optional<DType> dtype = dtype_of_flag(flag, &lacking);
    corrupt_unless(dtype || lacking, concat("unknown dtype flag ", flag));
    if (!dtype) {
      const uint64_t n = byte_count(shape, lacking_itemsize(flag), "its data");
      need(n, "its data");
      in_.skip(n);
      refuse(concat(" has dtype ", lacking,
                    ", which mxlite does not support yet "
                    "(it has bool, uint8, int8, int32, int64, float32, float64)"));
      return NDArray();
    }
    const uint64_t n = byte_count(shape, itemsize(*dtype), "its data");
    need(n, "its data");
    if (refusal_) {  // the load fails anyway: no need to allocate
      in_.skip(n);
      return NDArray();
    }
    NDArray a = NDArray::empty(shape, *dtype, Context::cpu(), "load");
    char* dst = static_cast<char*>(a.raw_data());
    in_.read(dst, n);
    if (!host_is_little_endian()) swap_elements(dst, static_cast<size_t>(a.size()), itemsize(*dtype));
    if (*dtype == DType::Bool) {
      // Any non-zero byte is true (MXNet reads them so); a C++ bool must be 0 or 1.
      auto* bytes = reinterpret_cast<unsigned char*>(dst);
      for (uint64_t i = 0; i < n; ++i) bytes[i] = bytes[i] != 0;
    }
    return a;
  }

  // A sparse record: storage shape, shape, device, dtype, then per auxiliary
  // array (row_sparse: indices; csr: indptr, indices) its dtype and shape,
  // then the values and the auxiliary data. Skipped, then refused.
  NDArray skip_sparse(int32_t storage, bool numpy) {
    const char* kind = storage == kRowSparseStorage ? "row_sparse" : "csr";
    const int aux = storage == kRowSparseStorage ? 1 : 2;
    const Shape stored = read_shape("its storage shape", numpy);
    const Shape shape = read_shape("its shape", numpy);
    get<int32_t>("its device type");
    get<int32_t>("its device id");
    std::vector<std::pair<int32_t, Shape>> parts{{get<int32_t>("its dtype"), stored}};
    for (int i = 0; i < aux; ++i) {
      const int32_t flag = get<int32_t>("its index dtype");
      parts.emplace_back(flag, read_shape("its index shape", numpy));
    }
    // MXNet may record a storage shape of size 0 (it reads it before the
    // values are computed) and then sizes the values from the indices.
    const bool no_values = std::any_of(stored.begin(), stored.end(), [](int64_t e) { return e == 0; });
    if (no_values && !shape.empty() && !parts[1].second.empty()) {
      if (storage == kRowSparseStorage) {
        parts[0].second = shape;
        parts[0].second[0] = parts[1].second[0];
      } else {
        parts[0].second = parts[2].second;
      }
    }
    for (const auto& part : parts) {
      const char* lacking;
      const std::optional<DType> dt = dtype_of_flag(part.first, &lacking);
      corrupt_unless(dt || lacking, concat("unknown dtype flag ", part.first));
      if (std::any_of(part.second.begin(), part.second.end(), [](int64_t e) { return e < 0; })) continue;
      const uint64_t n = byte_count(part.second, dt ? itemsize(*dt) : lacking_itemsize(part.first), "its data");
      need(n, "its data");
      in_.skip(n);
    }
    refuse(concat(" is a sparse array (", kind,
                  " storage), which mxlite does not support: it has dense arrays only (MXNet's default storage); "
                  "convert it in MXNet with .tostype('default') before saving"));
    return NDArray();
  }

  Source& in_;
  std::string where_;
  std::optional<ShapeSemantics> required_;
  uint64_t index_ = 0;
  std::string what_prefix_;
  std::optional<std::string> refusal_;
  uint64_t refused_index_ = 0;
};

}  // namespace

void save(const std::string& path, const ArrayList& list, ShapeSemantics semantics) {
  check_savable(list, semantics);
  FileSink out(path);
  write_list(out, list, semantics);
  out.close();
}

std::string save_to_bytes(const ArrayList& list, ShapeSemantics semantics) {
  check_savable(list, semantics);
  StringSink out;
  write_list(out, list, semantics);
  return std::move(out.out);
}

ArrayList load(const std::string& path, std::optional<ShapeSemantics> required) {
  FileSource in(path);
  return Parser(in, quoted(path), required).parse();
}

ArrayList load_from_bytes(const void* data, size_t size, std::optional<ShapeSemantics> required) {
  MemorySource in(data, size);
  return Parser(in, concat("the buffer (", size, " bytes)"), required).parse();
}

}  // namespace io
}  // namespace mxlite
