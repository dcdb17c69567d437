// The simulated-time guard (sim/run/Runner.h): a layer that ends past 2^53 cycles is refused as
// an input error naming the network file and the layer, not reported with an inexact time.
#include <gtest/gtest.h>

#include "sim/core/ConfigError.h"
#include "sim/run/Runner.h"

using namespace sparsesim;

TEST(SimulatedTime, ExactUpToTwoToThe53) {
  EXPECT_NO_THROW(checkSimulatedTime(0, "net.json", 0, "conv1"));
  EXPECT_NO_THROW(checkSimulatedTime(kMaxExactCycles, "net.json", 3, "conv1"));
  // 2^53 is where a double stops holding every integer: the closed form the bound rests on.
  EXPECT_EQ(double(kMaxExactCycles) + 1.0, double(kMaxExactCycles));
}

TEST(SimulatedTime, PastTheBoundIsAConfigErrorNamingTheLayer) {
  try {
    checkSimulatedTime(kMaxExactCycles + 1, "nets/big.json", 2, "fc6");
    FAIL() << "no error past 2^53 cycles";
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("nets/big.json"), std::string::npos) << m;
    EXPECT_NE(m.find("layers[2]"), std::string::npos) << m;
    EXPECT_NE(m.find("\"fc6\""), std::string::npos) << m;
    EXPECT_NE(m.find("9007199254740993"), std::string::npos) << m;
  }
  EXPECT_THROW(checkSimulatedTime(UINT64_MAX, "n.json", 0, "x"), ConfigError);
}
