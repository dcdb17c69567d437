#include <gtest/gtest.h>

#include <set>

#include "sim/core/Enums.h"

using namespace sparsesim;

namespace {
// Every name parses back to its value, names are distinct, and an unknown name is refused.
template <class E>
void roundTrips(size_t expectedCount) {
  const auto names = enumNames<E>();
  EXPECT_EQ(names.size(), expectedCount);
  std::set<std::string> seen;
  for (const auto& n : names) {
    EXPECT_TRUE(seen.insert(n).second) << n;
    auto v = enumFromString<E>(n);
    ASSERT_TRUE(v.has_value()) << n;
    EXPECT_EQ(toString(*v), n);
  }
  EXPECT_FALSE(enumFromString<E>("no-such-value").has_value());
}
}  // namespace

TEST(Enums, EveryTableRoundTrips) {
  roundTrips<DatapathKind>(4);
  roundTrips<Dataflow>(3);
  roundTrips<Compat>(2);
  roundTrips<FoldEngine>(2);
  roundTrips<CsMode>(4);
  roundTrips<SelectorCircuit>(2);
  roundTrips<SramMemory>(2);
  roundTrips<SparseFormat>(3);
  roundTrips<SodFormat>(4);
  roundTrips<LayerType>(8);
  roundTrips<Activation>(3);
  roundTrips<WeightPattern>(2);
}

TEST(Enums, ConfigSpellings) {
  EXPECT_STREQ(toString(DatapathKind::SparsePe), "sparse_pe");
  EXPECT_STREQ(toString(Dataflow::WeightStationary), "ws");
  EXPECT_STREQ(toString(CsMode::SparseDense), "sparse_dense");
  EXPECT_STREQ(toString(SparseFormat::Bitmap), "bitmap");
  EXPECT_STREQ(toString(LayerType::DepthwiseConv2d), "depthwise_conv2d");
  // The order error messages and docs list the values in.
  EXPECT_EQ(enumNames<SparseFormat>(), (std::vector<std::string>{"csc", "bitmap", "dense"}));
  EXPECT_EQ(enumNames<DatapathKind>(), (std::vector<std::string>{"dense", "cs", "sod", "sparse_pe"}));
}
