// SystemC's library owns main(); tests run from sc_main. ctest starts each test in its own
// process (gtest_discover_tests), because a process may elaborate a SystemC model only once.
#include <systemc>

#include <gtest/gtest.h>

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
