// mxlite: a vector that keeps its first N elements inline (no heap traffic for
// the short lists - shapes, op inputs, node edges - that every op builds).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <new>
#include <type_traits>
#include <utility>

namespace mxlite {

template <class T, size_t N> class SmallVector {
 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;

  SmallVector() = default;
  SmallVector(std::initializer_list<T> init) {
    reserve(init.size());
    for (const T& v : init) push_back(v);
  }
  SmallVector(size_t n, const T& fill) {
    reserve(n);
    for (size_t i = 0; i < n; ++i) push_back(fill);
  }
  template <class It, class = decltype(*std::declval<It>())> SmallVector(It first, It last) {
    for (; first != last; ++first) push_back(*first);
  }
  SmallVector(const SmallVector& o) {
    reserve(o.size_);
    for (const T& v : o) push_back(v);
  }
  SmallVector(SmallVector&& o) noexcept(std::is_nothrow_move_constructible<T>::value) { steal(o); }
  SmallVector& operator=(const SmallVector& o) {
    if (this != &o) {
      clear();
      reserve(o.size_);
      for (const T& v : o) push_back(v);
    }
    return *this;
  }
  SmallVector& operator=(SmallVector&& o) noexcept(std::is_nothrow_move_constructible<T>::value) {
    if (this != &o) {
      clear();
      free_heap();
      steal(o);
    }
    return *this;
  }
  ~SmallVector() {
    clear();
    free_heap();
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return cap_; }
  T* data() { return ptr(); }
  const T* data() const { return ptr(); }
  T& operator[](size_t i) { return ptr()[i]; }
  const T& operator[](size_t i) const { return ptr()[i]; }
  T* begin() { return ptr(); }
  T* end() { return ptr() + size_; }
  const T* begin() const { return ptr(); }
  const T* end() const { return ptr() + size_; }
  T& front() { return ptr()[0]; }
  const T& front() const { return ptr()[0]; }
  T& back() { return ptr()[size_ - 1]; }
  const T& back() const { return ptr()[size_ - 1]; }

  void reserve(size_t n) {
    if (n <= cap_) return;
    size_t cap = n < 2 * cap_ ? 2 * cap_ : n;
    T* fresh = static_cast<T*>(::operator new(cap * sizeof(T)));
    T* old = ptr();
    for (size_t i = 0; i < size_; ++i) {
      new (fresh + i) T(std::move(old[i]));
      old[i].~T();
    }
    free_heap();
    heap_ = fresh;
    cap_ = cap;
  }
  void push_back(const T& v) { emplace_back(v); }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  template <class... Args> T& emplace_back(Args&&... args) {
    if (size_ == cap_) {
      // `args` may alias an element; build the value before growing.
      T tmp(std::forward<Args>(args)...);
      reserve(size_ + 1);
      new (ptr() + size_) T(std::move(tmp));
    } else {
      new (ptr() + size_) T(std::forward<Args>(args)...);
    }
    return ptr()[size_++];
  }
  void pop_back() { ptr()[--size_].~T(); }
  void resize(size_t n, const T& fill = T()) {
    while (size_ > n) pop_back();
    reserve(n);
    while (size_ < n) push_back(fill);
  }
  void insert(size_t pos, const T& v) {
    T tmp(v);
    emplace_back(std::move(tmp));
    for (size_t i = size_ - 1; i > pos; --i) std::swap(ptr()[i], ptr()[i - 1]);
  }
  void erase(size_t pos) {
    for (size_t i = pos; i + 1 < size_; ++i) ptr()[i] = std::move(ptr()[i + 1]);
    pop_back();
  }
  void clear() {
    while (size_ > 0) pop_back();
  }

  friend bool operator==(const SmallVector& a, const SmallVector& b) {
    if (a.size_ != b.size_) return false;
    for (size_t i = 0; i < a.size_; ++i)
      if (!(a[i] == b[i])) return false;
    return true;
  }
  friend bool operator!=(const SmallVector& a, const SmallVector& b) { return !(a == b); }

 private:
  T* ptr() { return heap_ ? heap_ : reinterpret_cast<T*>(inline_); }
  const T* ptr() const { return heap_ ? heap_ : reinterpret_cast<const T*>(inline_); }
  void free_heap() {
    if (heap_) ::operator delete(heap_);
    heap_ = nullptr;
    cap_ = N;
  }
  void steal(SmallVector& o) {
    if (o.heap_) {
      heap_ = o.heap_;
      cap_ = o.cap_;
      size_ = o.size_;
      o.heap_ = nullptr;
      o.cap_ = N;
      o.size_ = 0;
    } else {
      for (size_t i = 0; i < o.size_; ++i) new (ptr() + i) T(std::move(o.ptr()[i]));
      size_ = o.size_;
      o.clear();
    }
  }

  alignas(T) unsigned char inline_[N * sizeof(T)];
  T* heap_ = nullptr;
  size_t size_ = 0;
  size_t cap_ = N;
};

}  // namespace mxlite
